package dev.lit4j.examples;

import dev.lit4j.examples.data.TrainingCorpus;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.PromptTemplates;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The captions each training image trains with, built from its source's own captions (titles,
 * keywords, annotations) and its category (the source's folder or emoji sub-group), in one of three
 * {@linkplain Style styles}. {@code docs/RESULTS.md} has what each measured.
 *
 * <p>Zero-shot classification embeds prompts such as {@code "a photo of the small {label}."}, while
 * the sources caption their images with bare titles ({@code "red apple"}); with a locked text
 * encoder and a trained projection, the projection only learns where prompts of that form land if
 * training shows it some. {@link Style#PROMPT_FORM} does, with the training data's own words only:
 * never the labels of a held-out set.
 *
 * <p>Deterministic: the same corpus gives the same captions in every run and on every machine.
 * Thread-safe: stateless.
 */
public final class TrainingCaptions {

  /** Which captions an image trains with. */
  public enum Style {
    /** The source's own captions only. */
    OWN,
    /**
     * {@link #OWN}, plus {@code "<first caption>, <category>"} (e.g. {@code "t-shirt, clothing"}).
     */
    WITH_CATEGORY,
    /**
     * {@link #WITH_CATEGORY}, plus the category in each of the recipe's prompt templates (e.g.
     * {@code "itap of a clothing."}), plus each own caption in {@value #WRAPS_PER_CAPTION} of the
     * {@link #CAPTION_TEMPLATES} (e.g. {@code "clip art of a red apple."}).
     */
    PROMPT_FORM
  }

  /**
   * The 17 templates that put an own caption in the form of a prompt, in this order: open_clip's 7
   * simple ones ({@link PromptTemplates#SIMPLE_7}), the 7 for drawings, emoji and icons ({@link
   * Recipe#DRAWING_TEMPLATES}), {@code "a photo of a {}."}, {@code "a black and white photo of a
   * {}."} and {@code "a sticker of a {}."}. The bare {@code "{}"} is among them, so an own caption
   * drawn with it appears twice in the image's list and is sampled twice as often.
   */
  public static final PromptTemplates CAPTION_TEMPLATES =
      new PromptTemplates(
          Stream.of(
                  PromptTemplates.SIMPLE_7.templates(),
                  Recipe.DRAWING_TEMPLATES.templates(),
                  PromptTemplates.SINGLE.templates(),
                  List.of("a black and white photo of a {}.", "a sticker of a {}."))
              .flatMap(List::stream)
              .toList());

  /** How many of {@link #CAPTION_TEMPLATES} wrap each own caption in {@link Style#PROMPT_FORM}. */
  public static final int WRAPS_PER_CAPTION = 2;

  /**
   * Distance between the templates chosen for one caption; coprime with the 17 templates, so the
   * choices differ.
   */
  private static final int WRAP_STRIDE = 7;

  private TrainingCaptions() {}

  /**
   * Returns the corpus's pairs with each row's captions in {@code style}.
   *
   * @param corpus the training rows, with their own captions and categories
   * @param style which captions to train with
   * @param prompts the recipe's zero-shot prompt templates ({@link Style#PROMPT_FORM} puts each
   *     row's category in each of them)
   */
  public static PairedEmbeddings of(TrainingCorpus corpus, Style style, PromptTemplates prompts) {
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(style, "style");
    Objects.requireNonNull(prompts, "prompts");
    PairedEmbeddings pairs = corpus.pairs();
    if (style == Style.OWN) {
      return pairs;
    }
    List<List<String>> captions = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      captions.add(
          captions(pairs.captions().get(i), corpus.rows().get(i).category(), style, prompts));
    }
    return pairs.withCaptions(captions);
  }

  /**
   * Returns one image's training captions: its own, then {@code "<first>, <category>"} (unless it
   * is already among them), then, for {@link Style#PROMPT_FORM}, the category in each prompt
   * template and the {@linkplain #wrapped wrapped} own captions.
   */
  static List<String> captions(
      List<String> own, String category, Style style, PromptTemplates prompts) {
    List<String> out = new ArrayList<>(own);
    if (style == Style.OWN) {
      return out;
    }
    String withCategory = own.get(0) + ", " + category;
    if (!out.contains(withCategory)) {
      out.add(withCategory);
    }
    if (style == Style.PROMPT_FORM) {
      for (String caption : own) {
        out.addAll(wrapped(caption));
      }
      out.addAll(prompts.apply(category));
    }
    return out;
  }

  /**
   * Returns {@code caption} in {@value #WRAPS_PER_CAPTION} of the {@link #CAPTION_TEMPLATES}: the
   * first at the CRC-32 of its UTF-8 bytes modulo 17, the next {@code 7} further on (cyclically).
   */
  static List<String> wrapped(String caption) {
    CRC32 crc = new CRC32();
    crc.update(caption.getBytes(StandardCharsets.UTF_8));
    long hash = crc.getValue();
    List<String> templates = CAPTION_TEMPLATES.templates();
    List<String> out = new ArrayList<>(WRAPS_PER_CAPTION);
    for (int j = 0; j < WRAPS_PER_CAPTION; j++) {
      int k = (int) ((hash + (long) j * WRAP_STRIDE) % templates.size());
      out.add(templates.get(k).replace(PromptTemplates.PLACEHOLDER, caption));
    }
    return out;
  }
}
