package dev.lit4j.eval;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
  /** Accuracies are ratios of counts below 2^20: exact up to one rounding. */
  private static final double RATIO_TOL = 1e-15;

  /**
   * Central differences with h = 1e-5 on a function of scale 1: truncation ~h² ≈ 1e-10, rounding
   * ~1e-16 / h ≈ 1e-11.
   */
  private static final double FINITE_DIFFERENCE_ATOL = 1e-8;

  /**
   * Features with class {@code i % k}: the class mean (±{@code separation} on axis c) plus noise.
   */
  private static FloatMatrix clusters(int n, int d, int k, double separation, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) random.nextGaussian();
      }
      x[i * d + (i % k) % d] += (float) (separation * ((i % k) < d ? 1 : -1));
    }
    return FloatMatrix.of(n, d, x);
  }

  private static int[] cyclic(int n, int k) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % k;
    }
    return y;
  }

  @Test
  void crossValidatedAccuracy_onLinearlySeparableData_isOne() {
    // Class means 12 standard deviations apart along their own axis: separable with margin.
    FloatMatrix x = clusters(120, 8, 4, 12, 1);
    CrossValidatedAccuracy a = LinearProbe.crossValidatedAccuracy(x, cyclic(120, 4), 5, 1e-3, 2);
    assertEquals(5, a.folds());
    for (double fold : a.foldAccuracies()) {
      assertClose(1.0, fold, RATIO_TOL, 0, "fold accuracy");
    }
    assertClose(1.0, a.mean(), RATIO_TOL, 0, "mean");
    assertClose(0.0, a.standardDeviation(), 0, RATIO_TOL, "spread");
    assertEquals(4, a.classes());
  }

  @Test
  void crossValidatedAccuracy_withRandomLabels_isNearChance() {
    // Labels independent of the features: every held-out prediction is right with probability
    // 1/4, so over 600 predictions the accuracy has standard deviation sqrt(0.25·0.75/600) ≈ 0.018;
    // 0.08 is 4.5 of those.
    Random random = new Random(5);
    int n = 600;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(4);
    }
    FloatMatrix x = clusters(n, 16, 4, 0, 6);
    CrossValidatedAccuracy a = LinearProbe.crossValidatedAccuracy(x, labels, 5, 1e-2, 7);
    assertTrue(Math.abs(a.mean() - 0.25) < 0.08, "accuracy " + a);
  }

  @Test
  void crossValidatedAccuracy_onNoisyClusters_isBetweenChanceAndOne_andSpreadIsTheFoldsSpread() {
    CrossValidatedAccuracy a =
        LinearProbe.crossValidatedAccuracy(
            clusters(200, 10, 5, 1.5, 3), cyclic(200, 5), 4, 1e-2, 4);
    assertTrue(a.mean() > 0.4 && a.mean() < 1, "accuracy " + a);
    double mean =
        a.foldAccuracies().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double squares = 0;
    for (double f : a.foldAccuracies()) {
      squares += (f - mean) * (f - mean);
    }
    assertClose(mean, a.mean(), 1e-15, 0, "mean");
    assertClose(Math.sqrt(squares / 3), a.standardDeviation(), 1e-12, 1e-15, "sample deviation");
    assertTrue(a.min() <= a.mean() && a.mean() <= a.max(), a.toString());
  }

  @Test
  void crossValidatedAccuracy_isDeterminedByTheSeed() {
    FloatMatrix x = clusters(150, 6, 3, 1, 8);
    int[] y = cyclic(150, 3);
    assertEquals(
        LinearProbe.crossValidatedAccuracy(x, y, 5, 1e-2, 9),
        LinearProbe.crossValidatedAccuracy(x, y, 5, 1e-2, 9));
    assertFalse(
        Arrays.equals(
            LinearProbe.stratifiedFolds(y, 3, 5, 9), LinearProbe.stratifiedFolds(y, 3, 5, 10)),
        "another seed deals other folds");
  }

  @Test
  void crossValidatedAccuracy_onEmbeddings_equalsTheProbeOnTheirMatrix() {
    EmbeddingMatrix e = EmbeddingMatrix.normalising(clusters(60, 5, 3, 4, 12));
    int[] y = cyclic(60, 3);
    assertEquals(
        LinearProbe.crossValidatedAccuracy(e.matrix(), y, 3, 0.1, 1),
        LinearProbe.crossValidatedAccuracy(e, y, 3, 0.1, 1));
  }

  @Test
  void crossValidatedAccuracy_acceptsAnyNonNegativeLabels() {
    FloatMatrix x = clusters(60, 5, 3, 4, 12);
    int[] y = cyclic(60, 3);
    int[] sparse = Arrays.stream(y).map(c -> 10 * c + 7).toArray();
    assertEquals(
        LinearProbe.crossValidatedAccuracy(x, y, 3, 0.1, 1),
        LinearProbe.crossValidatedAccuracy(x, sparse, 3, 0.1, 1));
  }

  @Test
  void crossValidatedAccuracy_isInvariantToRescalingFeatures_becauseItStandardisesThem() {
    // Powers of two scale the training mean and deviation exactly, so the standardised features,
    // and hence everything after them, are bit-identical.
    FloatMatrix x = clusters(90, 6, 3, 1, 14);
    float[] scaled = x.toArray();
    for (int i = 0; i < 90; i++) {
      for (int j = 0; j < 6; j++) {
        scaled[i * 6 + j] *= (float) Math.scalb(1.0, 3 * j - 8);
      }
    }
    int[] y = cyclic(90, 3);
    assertEquals(
        LinearProbe.crossValidatedAccuracy(x, y, 3, 0.05, 15),
        LinearProbe.crossValidatedAccuracy(FloatMatrix.of(90, 6, scaled), y, 3, 0.05, 15));
  }

  @Test
  void stratifiedFolds_holdEveryClassInProportion_andDifferInSizeByAtMostOne() {
    int[] y = new int[103];
    for (int i = 0; i < y.length; i++) {
      y[i] = i < 50 ? 0 : i < 80 ? 1 : 2; // 50, 30, 23 members
    }
    int[] foldOf = LinearProbe.stratifiedFolds(y, 3, 5, 3);
    int[][] perClass = new int[3][5];
    int[] size = new int[5];
    for (int i = 0; i < y.length; i++) {
      perClass[y[i]][foldOf[i]]++;
      size[foldOf[i]]++;
    }
    for (int c = 0; c < 3; c++) {
      int[] counts = perClass[c];
      assertTrue(
          Arrays.stream(counts).max().orElseThrow() - Arrays.stream(counts).min().orElseThrow()
              <= 1,
          "class " + c + ": " + Arrays.toString(counts));
    }
    assertTrue(
        Arrays.stream(size).max().orElseThrow() - Arrays.stream(size).min().orElseThrow() <= 1,
        Arrays.toString(size));
  }

  @Test
  void gradient_matchesCentralFiniteDifferences_andValueMatchesTheDefinition() {
    int n = 5;
    int d = 3;
    int k = 3;
    double l2 = 0.3;
    Random random = new Random(13);
    double[] x = random.doubles(n * d, -2, 2).toArray();
    int[] y = {0, 2, 1, 2, 2};
    double[] theta = random.doubles(k * (d + 1), -1, 1).toArray();
    SoftmaxRegression f = new SoftmaxRegression(x, n, d, y, k, l2);
    double[] gradient = new double[theta.length];
    double value = f.valueAndGradient(theta, gradient);

    assertClose(reference(x, n, d, y, k, l2, theta), value, 1e-12, 0, "value");
    double h = 1e-5;
    double[] numeric = new double[theta.length];
    double[] scratch = new double[theta.length];
    for (int p = 0; p < theta.length; p++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[p] += h;
      minus[p] -= h;
      numeric[p] =
          (f.valueAndGradient(plus, scratch) - f.valueAndGradient(minus, scratch)) / (2 * h);
    }
    assertAllClose(numeric, gradient, 0, FINITE_DIFFERENCE_ATOL);
  }

  /** The objective straight from its definition: probabilities, then −log p of the true class. */
  private static double reference(
      double[] x, int n, int d, int[] y, int k, double l2, double[] theta) {
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double[] z = new double[k];
      double norm = 0;
      for (int c = 0; c < k; c++) {
        z[c] = theta[k * d + c];
        for (int j = 0; j < d; j++) {
          z[c] += theta[c * d + j] * x[i * d + j];
        }
        norm += Math.exp(z[c]);
      }
      loss -= Math.log(Math.exp(z[y[i]]) / norm);
    }
    double w2 = 0;
    for (int p = 0; p < k * d; p++) {
      w2 += theta[p] * theta[p];
    }
    return loss / n + l2 / 2 * w2;
  }

  @Test
  void lbfgs_reachesAStationaryPoint_ofTheRegularisedObjective() {
    Random random = new Random(21);
    int n = 40;
    int d = 4;
    int k = 3;
    double[] x = random.doubles(n * d, -1, 1).toArray();
    int[] y = random.ints(n, 0, k).toArray();
    SoftmaxRegression f = new SoftmaxRegression(x, n, d, y, k, 0.05);
    double[] theta = new double[f.parameters()];
    int iterations = Lbfgs.minimise(f::valueAndGradient, theta, 500, 1e-9);
    double[] g = new double[theta.length];
    f.valueAndGradient(theta, g);
    double largest = Arrays.stream(g).map(Math::abs).max().orElseThrow();
    assertTrue(largest <= 1e-9, "max |gradient| " + largest + " after " + iterations);
    assertTrue(iterations < 500, "converged before the budget: " + iterations);
  }

  @Test
  void crossValidatedAccuracy_withFewerRowsThanFolds_namesBoth() {
    FloatMatrix x = clusters(4, 2, 2, 1, 1);
    int[] y = cyclic(4, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 5, 0.1, 1));
    assertTrue(e.getMessage().contains("4 rows into 5 folds"), e.getMessage());
  }

  @Test
  void crossValidatedAccuracy_withAClassSmallerThanTheFolds_namesTheClassAndItsCount() {
    FloatMatrix x = clusters(23, 2, 2, 1, 1);
    int[] y = new int[23];
    y[4] = 7;
    y[9] = 7;
    y[15] = 7; // class 7 has 3 members, class 0 has 20
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 5, 0.1, 1));
    assertTrue(e.getMessage().contains("class 7 has 3 members"), e.getMessage());
    assertTrue(e.getMessage().contains("use at most 3 folds"), e.getMessage());
  }

  @Test
  void crossValidatedAccuracy_withNaNFeature_namesTheRow() {
    float[] v = new float[6 * 2];
    Arrays.fill(v, 1);
    v[4 * 2 + 1] = Float.NaN;
    FloatMatrix x = FloatMatrix.of(6, 2, v);
    int[] y = cyclic(6, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 2, 0.1, 1));
    assertTrue(e.getMessage().contains("row 4, column 1 is NaN"), e.getMessage());
  }

  @Test
  void crossValidatedAccuracy_withOneClass_namesIt() {
    FloatMatrix x = clusters(6, 2, 2, 1, 1);
    int[] y = new int[6];
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 2, 0.1, 1));
    assertTrue(e.getMessage().contains("only label 0"), e.getMessage());
  }

  @Test
  void crossValidatedAccuracy_withANegativeLabel_namesItsPosition() {
    FloatMatrix x = clusters(6, 2, 2, 1, 1);
    int[] y = {0, 1, 0, -1, 0, 1};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 2, 0.1, 1));
    assertTrue(e.getMessage().contains("labels[3] = -1"), e.getMessage());
  }

  @Test
  void crossValidatedAccuracy_withNegativeL2_namesIt() {
    FloatMatrix x = clusters(6, 2, 2, 1, 1);
    int[] y = cyclic(6, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LinearProbe.crossValidatedAccuracy(x, y, 2, -0.5, 1));
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
  }
}
