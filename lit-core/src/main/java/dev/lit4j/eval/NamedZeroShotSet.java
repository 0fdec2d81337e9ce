package dev.lit4j.eval;

import dev.lit4j.training.MetricsLog;
import dev.lit4j.zeroshot.PromptTemplates;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A zero-shot set as one evaluation runs it: its name (which keys its metrics, e.g. {@code
 * tuxpaintTop1} in the {@link MetricsLog}) and the prompt templates its class names are embedded
 * with.
 *
 * @param name a short identifier: a letter, then letters, digits, {@code -} or {@code _} (e.g.
 *     {@code tuxpaint}, {@code fashion-mnist})
 * @param set the labelled image embeddings
 * @param templates the prompt templates of its classifier
 */
public record NamedZeroShotSet(String name, ZeroShotSet set, PromptTemplates templates) {
  /**
   * The name of the set given by the one-set factories of {@link EvaluationData}, which keeps the
   * metrics log keys of earlier versions ({@code zeroShotTop1}, {@code zeroShotTop5}).
   */
  public static final String DEFAULT_NAME = "zeroShot";

  /**
   * The templates used when none are given: {@link PromptTemplates#SIMPLE_7}, the default of {@link
   * dev.lit4j.zeroshot.ZeroShotClassifier}.
   */
  public static final PromptTemplates DEFAULT_TEMPLATES = PromptTemplates.SIMPLE_7;

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  /**
   * @param name a short identifier: a letter, then letters, digits, {@code -} or {@code _} (e.g.
   *     {@code tuxpaint}, {@code fashion-mnist})
   * @param set the labelled image embeddings
   * @param templates the prompt templates of its classifier
   * @throws IllegalArgumentException if the name is not an identifier as documented (it is named)
   */
  public NamedZeroShotSet {
    checkName(name);
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(templates, "templates");
  }

  /**
   * {@return {@code set} named {@code name}, with the {@link #DEFAULT_TEMPLATES}}
   *
   * @param name the set's name in metrics and logs
   * @param set the images and their classes
   */
  public static NamedZeroShotSet of(String name, ZeroShotSet set) {
    return new NamedZeroShotSet(name, set, DEFAULT_TEMPLATES);
  }

  static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "evaluation set name '"
              + name
              + "' must be a letter followed by letters, digits, '-' or '_', e.g. 'fashion-mnist'");
    }
  }
}
