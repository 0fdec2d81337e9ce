package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.examples.data.TrainingCorpus;
import dev.lit4j.examples.data.TrainingRow;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingCaptionsTest {

  private static final PromptTemplates PROMPTS = PromptTemplates.of("a {}.", "art of the {}.");

  /** Two rows: an apple with a keyword, and a t-shirt whose caption already names its category. */
  private static TrainingCorpus corpus() {
    EmbeddingMatrix images =
        EmbeddingMatrix.normalising(FloatMatrix.wrap(2, 2, new float[] {1, 0, 0, 1}));
    PairedEmbeddings pairs =
        new PairedEmbeddings(
            images,
            List.of(List.of("red apple", "fruit"), List.of("t-shirt", "t-shirt, clothing")));
    return new TrainingCorpus(
        pairs,
        List.of(
            new TrainingRow(TrainingSource.OPENCLIPART, "food/apple.png", "apple", "food"),
            new TrainingRow(TrainingSource.OPENMOJI, "1F455.png", "1F455", "clothing")));
  }

  @Test
  void own_isTheCorpusAsItIs() {
    TrainingCorpus corpus = corpus();
    assertSame(corpus.pairs(), TrainingCaptions.of(corpus, TrainingCaptions.Style.OWN, PROMPTS));
  }

  @Test
  void withCategory_addsTitleAndCategoryOnce() {
    PairedEmbeddings out =
        TrainingCaptions.of(corpus(), TrainingCaptions.Style.WITH_CATEGORY, PROMPTS);
    assertEquals(List.of("red apple", "fruit", "red apple, food"), out.captions().get(0));
    assertEquals(List.of("t-shirt", "t-shirt, clothing"), out.captions().get(1));
  }

  @Test
  void promptForm_addsWrappedCaptionsAndTheCategoryInEveryPrompt() {
    PairedEmbeddings out =
        TrainingCaptions.of(corpus(), TrainingCaptions.Style.PROMPT_FORM, PROMPTS);
    List<String> expected = new ArrayList<>(List.of("red apple", "fruit", "red apple, food"));
    expected.addAll(TrainingCaptions.wrapped("red apple"));
    expected.addAll(TrainingCaptions.wrapped("fruit"));
    expected.addAll(List.of("a food.", "art of the food."));
    assertEquals(expected, out.captions().get(0));
    assertEquals(2 + 2 * 2 + 2, out.captions().get(1).size(), out.captions().get(1).toString());
    // The images are untouched.
    assertEquals(corpus().pairs().images().matrix(), out.images().matrix());
  }

  @Test
  void wrapped_picksTemplatesByTheCaptionsCrc32() {
    // Reference: Python's zlib.crc32 of the UTF-8 bytes ("red apple" 3071155119, 3071155119 % 17
    // = 8, then 8 + 7 = 15; "é café" 438024606 % 17 = 5, then 12), indexing the 17 templates.
    assertEquals(
        List.of("clip art of a red apple.", "a black and white photo of a red apple."),
        TrainingCaptions.wrapped("red apple"));
    assertEquals(
        List.of("art of the é café.", "a cartoon é café."), TrainingCaptions.wrapped("é café"));
    assertEquals(
        List.of("an emoji of a t-shirt.", "a sticker of a t-shirt."),
        TrainingCaptions.wrapped("t-shirt"));
  }
}
