package dev.lit4j.eval;

import static dev.lit4j.testing.NumericAssertions.FLOAT64_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import dev.lit4j.testing.RandomEmbeddings;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EvaluationDataTest {
  private static final int DIM = 32;

  private final HashingTextTower text = new HashingTextTower(DIM, 3);
  private final LitModel model =
      LitModel.of(ColourImageTower.seeded(DIM, 4), text, ScoreCalibration.SOFTMAX_DEFAULT);

  private final ZeroShotSet animals =
      new ZeroShotSet(
          images("cat", "dog", "dog", "cat dog"), List.of("cat", "dog"), new int[] {0, 1, 1, 0});
  private final ZeroShotSet vehicles =
      new ZeroShotSet(
          images("car", "bus", "a red bus"), List.of("car", "bus", "tram"), new int[] {0, 1, 2});

  @AfterEach
  void close() {
    model.close();
  }

  private EmbeddingMatrix images(String... words) {
    return text.embedAll(List.of(words));
  }

  @Test
  void evaluate_reportsEverySetByName_withItsOwnTemplates() {
    EvaluationData data =
        new EvaluationData(
            List.of(
                NamedZeroShotSet.of("animals", animals),
                new NamedZeroShotSet("vehicles", vehicles, PromptTemplates.SINGLE)),
            Optional.empty());
    EvaluationMetrics m = data.evaluate(model, 7);
    assertEquals(7, m.step());
    assertEquals(
        List.of("animals", "vehicles"),
        m.zeroShotSets().stream().map(ZeroShotSetMetrics::name).toList());
    assertEquals(expected(animals, PromptTemplates.SIMPLE_7), m.zeroShot("animals").diagnostics());
    assertEquals(expected(vehicles, PromptTemplates.SINGLE), m.zeroShot("vehicles").diagnostics());
    assertEquals(m.zeroShot("animals").accuracy(), m.zeroShot().orElseThrow());
    assertEquals(Optional.empty(), m.retrieval());
  }

  /** The diagnostics computed directly with a classifier built with {@code templates}. */
  private ClassificationDiagnostics expected(ZeroShotSet set, PromptTemplates templates) {
    ZeroShotClassifier c =
        ZeroShotClassifier.builder(model, set.classNames()).templates(templates).build();
    List<ClassScores> p = c.classifyAll(set.images());
    return ClassificationDiagnostics.evaluate(p, set.trueClasses())
        .withClassEmbeddings(c.classEmbeddings());
  }

  @Test
  void evaluate_withTheDefaultTemplates_agreesWithTheDefaultClassifier() {
    ClassificationMetrics direct =
        ClassificationMetrics.evaluate(
            ZeroShotClassifier.of(model, animals.classNames()).classifyAll(animals.images()),
            animals.trueClasses());
    EvaluationMetrics m = EvaluationData.zeroShot(animals).evaluate(model, 0);
    assertEquals(direct, m.zeroShot().orElseThrow());
    assertEquals(NamedZeroShotSet.DEFAULT_NAME, m.zeroShotSets().get(0).name());
    assertClose(
        ClassificationDiagnostics.meanPairwiseCosine(
            ZeroShotClassifier.of(model, animals.classNames()).classEmbeddings()),
        m.zeroShotSets().get(0).diagnostics().meanClassCosine().orElseThrow(),
        FLOAT64_RTOL,
        0,
        "mean class cosine");
  }

  @Test
  void legacyFactories_nameTheirSetsByDefault_andExposeTheFirstSet() {
    PairedEmbeddings pairs =
        new PairedEmbeddings(images("cat", "dog"), List.of(List.of("a cat"), List.of("a dog")));
    EvaluationData data = EvaluationData.of(animals, pairs);
    assertEquals(NamedZeroShotSet.DEFAULT_NAME, data.zeroShotSets().get(0).name());
    assertEquals(PromptTemplates.SIMPLE_7, data.zeroShotSets().get(0).templates());
    assertEquals(NamedRetrievalSet.DEFAULT_NAME, data.retrievalSet().orElseThrow().name());
    assertEquals(animals, data.zeroShot().orElseThrow());
    assertEquals(pairs, data.retrieval().orElseThrow());
    assertEquals(data, new EvaluationData(Optional.of(animals), Optional.of(pairs)));
    EvaluationMetrics m = data.evaluate(model, 1);
    assertEquals(NamedRetrievalSet.DEFAULT_NAME, m.retrievalSet().orElseThrow().name());
    assertTrue(m.retrieval().isPresent());
    assertTrue(EvaluationData.NONE.isEmpty());
  }

  @Test
  void mapImages_keepsNamesAndTemplates() {
    EvaluationData data =
        new EvaluationData(
            List.of(new NamedZeroShotSet("vehicles", vehicles, PromptTemplates.SINGLE)),
            Optional.empty());
    EvaluationData mapped = data.mapImages(m -> RandomEmbeddings.gaussian(m.size(), DIM, 1));
    NamedZeroShotSet z = mapped.zeroShotSets().get(0);
    assertEquals("vehicles", z.name());
    assertEquals(PromptTemplates.SINGLE, z.templates());
    assertEquals(RandomEmbeddings.gaussian(3, DIM, 1), z.set().images());
  }

  @Test
  void constructor_withTwoSetsOfOneName_namesIt() {
    List<NamedZeroShotSet> sets =
        List.of(
            NamedZeroShotSet.of("tuxpaint", animals), NamedZeroShotSet.of("tuxpaint", vehicles));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new EvaluationData(sets, Optional.empty()));
    assertTrue(e.getMessage().contains("'tuxpaint'"), e.getMessage());
  }

  @Test
  void constructor_withSetsOfDifferentDimensions_namesBoth() {
    ZeroShotSet wide =
        new ZeroShotSet(
            RandomEmbeddings.gaussian(2, DIM + 1, 1), List.of("a", "b"), new int[] {0, 1});
    List<NamedZeroShotSet> sets =
        List.of(NamedZeroShotSet.of("animals", animals), NamedZeroShotSet.of("wide", wide));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new EvaluationData(sets, Optional.empty()));
    assertTrue(e.getMessage().contains("'wide' has image dimension 33"), e.getMessage());
    assertTrue(e.getMessage().contains("'animals' has 32"), e.getMessage());
  }

  @Test
  void namedSet_withANameThatIsNoIdentifier_namesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NamedZeroShotSet.of("tux paint", animals));
    assertTrue(e.getMessage().contains("'tux paint'"), e.getMessage());
  }

  @Test
  void zeroShot_withAnUnknownName_listsTheEvaluatedSets() {
    EvaluationMetrics m = EvaluationData.zeroShot(animals).evaluate(model, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.zeroShot("animls"));
    assertTrue(e.getMessage().contains("'animls'"), e.getMessage());
    assertTrue(e.getMessage().contains("[zeroShot]"), e.getMessage());
  }
}
