package dev.lit4j.zeroshot;

import java.util.List;
import java.util.Objects;

/**
 * An ordered, non-empty list of prompt templates, each holding exactly one {@code {}} placeholder
 * that {@link #apply(String)} replaces with a class label (CLIP, Radford et al. 2021, §3.1.4:
 * "prompt engineering and ensembling").
 *
 * <p>Immutable and thread-safe. The named sets are those of the reference implementations:
 *
 * <ul>
 *   <li>{@link #CLIP_IMAGENET_80}: CLIP's 80 ImageNet templates (open_clip {@code
 *       OPENAI_IMAGENET_TEMPLATES});
 *   <li>{@link #SIMPLE_7}: the 7-template subset that CLIP's prompt-engineering notebook selected
 *       and open_clip ships as {@code SIMPLE_IMAGENET_TEMPLATES};
 *   <li>{@link #SINGLE}: the one template {@code "a photo of a {}."}.
 * </ul>
 *
 * @param templates the templates, in order; copied
 */
public record PromptTemplates(List<String> templates) {

  /** The placeholder each template must contain exactly once. */
  public static final String PLACEHOLDER = "{}";

  /** CLIP's 80 ImageNet prompt templates, in open_clip's order. */
  public static final PromptTemplates CLIP_IMAGENET_80 =
      new PromptTemplates(
          List.of(
              "a bad photo of a {}.",
              "a photo of many {}.",
              "a sculpture of a {}.",
              "a photo of the hard to see {}.",
              "a low resolution photo of the {}.",
              "a rendering of a {}.",
              "graffiti of a {}.",
              "a bad photo of the {}.",
              "a cropped photo of the {}.",
              "a tattoo of a {}.",
              "the embroidered {}.",
              "a photo of a hard to see {}.",
              "a bright photo of a {}.",
              "a photo of a clean {}.",
              "a photo of a dirty {}.",
              "a dark photo of the {}.",
              "a drawing of a {}.",
              "a photo of my {}.",
              "the plastic {}.",
              "a photo of the cool {}.",
              "a close-up photo of a {}.",
              "a black and white photo of the {}.",
              "a painting of the {}.",
              "a painting of a {}.",
              "a pixelated photo of the {}.",
              "a sculpture of the {}.",
              "a bright photo of the {}.",
              "a cropped photo of a {}.",
              "a plastic {}.",
              "a photo of the dirty {}.",
              "a jpeg corrupted photo of a {}.",
              "a blurry photo of the {}.",
              "a photo of the {}.",
              "a good photo of the {}.",
              "a rendering of the {}.",
              "a {} in a video game.",
              "a photo of one {}.",
              "a doodle of a {}.",
              "a close-up photo of the {}.",
              "a photo of a {}.",
              "the origami {}.",
              "the {} in a video game.",
              "a sketch of a {}.",
              "a doodle of the {}.",
              "a origami {}.",
              "a low resolution photo of a {}.",
              "the toy {}.",
              "a rendition of the {}.",
              "a photo of the clean {}.",
              "a photo of a large {}.",
              "a rendition of a {}.",
              "a photo of a nice {}.",
              "a photo of a weird {}.",
              "a blurry photo of a {}.",
              "a cartoon {}.",
              "art of a {}.",
              "a sketch of the {}.",
              "a embroidered {}.",
              "a pixelated photo of a {}.",
              "itap of the {}.",
              "a jpeg corrupted photo of the {}.",
              "a good photo of a {}.",
              "a plushie {}.",
              "a photo of the nice {}.",
              "a photo of the small {}.",
              "a photo of the weird {}.",
              "the cartoon {}.",
              "art of the {}.",
              "a drawing of the {}.",
              "a photo of the large {}.",
              "a black and white photo of a {}.",
              "the plushie {}.",
              "a dark photo of a {}.",
              "itap of a {}.",
              "graffiti of the {}.",
              "a toy {}.",
              "itap of my {}.",
              "a photo of a cool {}.",
              "a photo of a small {}.",
              "a tattoo of the {}."));

  /**
   * The 7 templates of open_clip's {@code SIMPLE_IMAGENET_TEMPLATES}; the default of {@link
   * ZeroShotClassifier}.
   */
  public static final PromptTemplates SIMPLE_7 =
      new PromptTemplates(
          List.of(
              "itap of a {}.",
              "a bad photo of the {}.",
              "a origami {}.",
              "a photo of the large {}.",
              "a {} in a video game.",
              "art of the {}.",
              "a photo of the small {}."));

  /** The single template {@code "a photo of a {}."}. */
  public static final PromptTemplates SINGLE = new PromptTemplates(List.of("a photo of a {}."));

  /**
   * @param templates the templates, in order; copied
   * @throws IllegalArgumentException if the list is empty or a template does not contain exactly
   *     one {@code {}} (the template and its index are named)
   * @throws NullPointerException if the list or a template is null
   */
  public PromptTemplates {
    Objects.requireNonNull(templates, "templates");
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(
          "prompt templates must not be empty; use e.g. PromptTemplates.SINGLE");
    }
    for (int i = 0; i < templates.size(); i++) {
      String t = Objects.requireNonNull(templates.get(i), "templates[" + i + "]");
      int first = t.indexOf(PLACEHOLDER);
      if (first < 0 || t.indexOf(PLACEHOLDER, first + 1) >= 0) {
        throw new IllegalArgumentException(
            "prompt template "
                + i
                + " '"
                + t
                + "' must contain the placeholder {} exactly once, e.g. 'a photo of a {}.'");
      }
    }
    templates = List.copyOf(templates);
  }

  /**
   * {@return templates built from the given strings; see the canonical constructor}
   *
   * @param templates the templates, each holding {@code {}} once
   */
  public static PromptTemplates of(String... templates) {
    return new PromptTemplates(List.of(Objects.requireNonNull(templates, "templates")));
  }

  /** {@return the number of templates} */
  public int size() {
    return templates.size();
  }

  /**
   * {@return one prompt per template with {@code {}} replaced by {@code label}, in template order}
   *
   * @param label the label put into each template
   * @throws NullPointerException if {@code label} is null
   */
  public List<String> apply(String label) {
    Objects.requireNonNull(label, "label");
    String[] prompts = new String[templates.size()];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = templates.get(i).replace(PLACEHOLDER, label);
    }
    return List.of(prompts);
  }
}
