package dev.lit4j.eval;

import static dev.lit4j.testing.NumericAssertions.FLOAT64_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.testing.RandomEmbeddings;
import dev.lit4j.zeroshot.ClassScores;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassificationDiagnosticsTest {
  /** Shares and recalls are ratios of small counts: exact up to one rounding. */
  private static final double RATIO_TOL = 1e-15;

  /** Float32 embeddings summed in float64: the cosine of float32 rows is good to ~1e-7. */
  private static final double COSINE_TOL = 1e-6;

  private static ClassScores oneHot(int classes, int best) {
    List<String> labels = new ArrayList<>();
    double[] scores = new double[classes];
    for (int c = 0; c < classes; c++) {
      labels.add("class " + c);
    }
    scores[best] = 1;
    return ClassScores.of(labels, scores, new double[classes]);
  }

  @Test
  void of_matchesAHandComputedExample() {
    // truth a a a b, predicted a a b b, class c never occurs:
    // recall(a) = 2/3, recall(b) = 1 -> balanced (2/3 + 1) / 2 = 5/6; top-1 would be 3/4.
    // predicted counts a 2, b 2 -> tie broken to the lower index a, share 1/2; majority a, 3/4.
    ClassificationDiagnostics d =
        ClassificationDiagnostics.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 0, 1}, 3);
    assertClose(5.0 / 6, d.balancedTop1(), RATIO_TOL, 0, "balancedTop1");
    assertClose(0.5, d.mostPredictedShare(), RATIO_TOL, 0, "mostPredictedShare");
    assertEquals(0, d.mostPredictedClass());
    assertClose(0.75, d.majorityShare(), RATIO_TOL, 0, "majorityShare");
    assertEquals(3, d.classes());
    assertEquals(2, d.classesInTruth());
    assertClose(1.0 / 3, d.chance(), RATIO_TOL, 0, "chance");
    assertEquals(OptionalDouble.empty(), d.meanClassCosine());
  }

  @Test
  void balancedTop1_equalsTop1_whenEveryClassHasEquallyManyItems() {
    Random random = new Random(7);
    int classes = 5;
    int perClass = 12;
    for (int trial = 0; trial < 20; trial++) {
      int[] truth = new int[classes * perClass];
      List<ClassScores> predictions = new ArrayList<>();
      for (int i = 0; i < truth.length; i++) {
        truth[i] = i % classes;
        // Right 60 % of the time, otherwise a uniformly random class.
        predictions.add(
            oneHot(classes, random.nextDouble() < 0.6 ? truth[i] : random.nextInt(classes)));
      }
      double top1 = ClassificationMetrics.evaluate(predictions, truth).top1();
      double balanced = ClassificationDiagnostics.evaluate(predictions, truth).balancedTop1();
      assertClose(top1, balanced, 1e-14, 0, "trial " + trial);
    }
  }

  @Test
  void sharesAreAtLeastChance_andBalancedTop1IsAShare_onRandomPredictions() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int classes = 2 + random.nextInt(9);
      int n = 1 + random.nextInt(40);
      int[] predicted = new int[n];
      int[] truth = new int[n];
      for (int i = 0; i < n; i++) {
        predicted[i] = random.nextInt(classes);
        truth[i] = random.nextInt(classes);
      }
      ClassificationDiagnostics d = ClassificationDiagnostics.of(predicted, truth, classes);
      String where = "trial " + trial + ": " + d;
      assertTrue(d.mostPredictedShare() >= 1.0 / classes - RATIO_TOL, where);
      assertTrue(d.majorityShare() >= 1.0 / classes - RATIO_TOL, where);
      assertTrue(d.majorityShare() >= 1.0 / d.classesInTruth() - RATIO_TOL, where);
      assertTrue(d.balancedTop1() >= 0 && d.balancedTop1() <= 1, where);
    }
  }

  @Test
  void aCollapsedClassifier_sendsEverythingToOneClass_andScoresOneOverClassesInTruth() {
    int[] truth = {0, 0, 0, 0, 0, 0, 1, 2};
    ClassificationDiagnostics d = ClassificationDiagnostics.of(new int[8], truth, 4);
    assertClose(1.0, d.mostPredictedShare(), RATIO_TOL, 0, "mostPredictedShare");
    assertEquals(0, d.mostPredictedClass());
    // Top-1 is the majority share 6/8; balanced top-1 sees through it: 1/3.
    assertClose(0.75, d.majorityShare(), RATIO_TOL, 0, "majorityShare");
    assertClose(1.0 / 3, d.balancedTop1(), RATIO_TOL, 0, "balancedTop1");
  }

  @Test
  void evaluate_withClassScores_agreesWithPredictedIndices() {
    int[] predicted = {2, 1, 1, 0, 2};
    int[] truth = {2, 1, 0, 0, 0};
    List<ClassScores> scores = new ArrayList<>();
    for (int p : predicted) {
      scores.add(oneHot(3, p));
    }
    assertEquals(
        ClassificationDiagnostics.of(predicted, truth, 3),
        ClassificationDiagnostics.evaluate(scores, truth));
  }

  @Test
  void meanPairwiseCosine_matchesTheFloat64PairwiseReference() {
    EmbeddingMatrix e = RandomEmbeddings.gaussian(9, 16, 3);
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < e.size(); i++) {
      for (int j = i + 1; j < e.size(); j++) {
        sum += cosine(e.matrix().row(i), e.matrix().row(j));
        pairs++;
      }
    }
    assertClose(sum / pairs, ClassificationDiagnostics.meanPairwiseCosine(e), 0, COSINE_TOL, "");
  }

  @Test
  void meanPairwiseCosine_isZeroForOrthogonalRows_andOneForIdenticalRows() {
    float[] identity = new float[4 * 4];
    for (int i = 0; i < 4; i++) {
      identity[i * 4 + i] = 1;
    }
    EmbeddingMatrix orthogonal = EmbeddingMatrix.normalising(FloatMatrix.of(4, 4, identity));
    assertClose(0, ClassificationDiagnostics.meanPairwiseCosine(orthogonal), 0, COSINE_TOL, "");
    float[] same = {3, 4, 0, 3, 4, 0, 3, 4, 0};
    EmbeddingMatrix identical = EmbeddingMatrix.normalising(FloatMatrix.of(3, 3, same));
    assertClose(1, ClassificationDiagnostics.meanPairwiseCosine(identical), 0, COSINE_TOL, "");
  }

  @Test
  void meanPairwiseCosine_isInvariantToRowOrder() {
    EmbeddingMatrix e = RandomEmbeddings.gaussian(12, 8, 5);
    EmbeddingMatrix permuted = RandomEmbeddings.permuteRows(e, RandomEmbeddings.permutation(12, 6));
    assertClose(
        ClassificationDiagnostics.meanPairwiseCosine(e),
        ClassificationDiagnostics.meanPairwiseCosine(permuted),
        0,
        1e-14,
        "");
  }

  @Test
  void withClassEmbeddings_addsTheMeanCosine() {
    EmbeddingMatrix e = RandomEmbeddings.gaussian(3, 8, 9);
    ClassificationDiagnostics d =
        ClassificationDiagnostics.of(new int[] {0, 1}, new int[] {0, 2}, 3).withClassEmbeddings(e);
    assertClose(
        ClassificationDiagnostics.meanPairwiseCosine(e),
        d.meanClassCosine().orElseThrow(),
        FLOAT64_RTOL,
        0,
        "");
  }

  @Test
  void withClassEmbeddings_ofAnotherClassCount_namesBothCounts() {
    ClassificationDiagnostics d = ClassificationDiagnostics.of(new int[] {0}, new int[] {1}, 3);
    EmbeddingMatrix four = RandomEmbeddings.gaussian(4, 8, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> d.withClassEmbeddings(four));
    assertTrue(e.getMessage().contains("4 class embeddings"), e.getMessage());
    assertTrue(e.getMessage().contains("3 classes"), e.getMessage());
  }

  @Test
  void of_withATrueClassOutOfRange_namesPositionAndValue() {
    int[] predicted = {0, 1};
    int[] truth = {0, 5};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationDiagnostics.of(predicted, truth, 3));
    assertTrue(e.getMessage().contains("truth[1] = 5"), e.getMessage());
  }

  @Test
  void of_withMismatchedLengths_namesBoth() {
    int[] predicted = {0, 1};
    int[] truth = {0};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationDiagnostics.of(predicted, truth, 3));
    assertTrue(e.getMessage().contains("2 predictions and 1 true"), e.getMessage());
  }

  @Test
  void constructor_withAMostPredictedShareBelowChance_names() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClassificationDiagnostics(0.5, 0.2, 0, 0.5, 4, 4, OptionalDouble.empty()));
    assertTrue(e.getMessage().contains("mostPredictedShare"), e.getMessage());
    assertTrue(e.getMessage().contains("0.2"), e.getMessage());
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
