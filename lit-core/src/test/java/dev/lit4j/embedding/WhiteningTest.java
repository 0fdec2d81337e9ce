package dev.lit4j.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.math.FloatMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WhiteningTest {
  /** Covariances are accumulated in float64 from float32 inputs: agreement to ~1e-4 relative. */
  private static final double COVARIANCE_TOL = 2e-3;

  /** Non-negative, correlated, cone-shaped rows like pooled ReLU features. */
  private static EmbeddingMatrix coneData(int n, int d, long seed) {
    Random rnd = new Random(seed);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      double shared = 1 + 0.2 * rnd.nextGaussian();
      for (int j = 0; j < d; j++) {
        double v = shared + 0.3 * (j + 1) / d * rnd.nextGaussian() + (j == i % d ? 0.5 : 0);
        x[i * d + j] = (float) Math.max(0, v);
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(n, d, x));
  }

  /** Rows of {@code W (x − μ)} before normalisation, in float64. */
  private static double[][] unnormalised(Whitening w, EmbeddingMatrix data) {
    float[] mu = w.mean();
    float[] m = w.matrix().toArray();
    int d = w.inputDimension();
    int k = w.outputDimension();
    double[][] y = new double[data.size()][k];
    for (int i = 0; i < data.size(); i++) {
      float[] x = data.get(i).toArray();
      for (int r = 0; r < k; r++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += m[r * d + j] * (double) (x[j] - mu[j]);
        }
        y[i][r] = s;
      }
    }
    return y;
  }

  @Test
  void fit_makesTheReferenceCovarianceDiagonalWithTheRegularisedGains() {
    EmbeddingMatrix data = coneData(400, 8, 1);
    double eps = 1e-6;
    Whitening w = Whitening.fit(data, 8, eps);
    double[][] y = unnormalised(w, data);
    int n = y.length;
    for (int a = 0; a < 8; a++) {
      for (int b = 0; b < 8; b++) {
        double mean = 0;
        double meanA = 0;
        double meanB = 0;
        for (double[] row : y) {
          meanA += row[a] / n;
          meanB += row[b] / n;
        }
        for (double[] row : y) {
          mean += (row[a] - meanA) * (row[b] - meanB) / (n - 1);
        }
        // With a tiny epsilon the whitened covariance is the identity.
        assertEquals(a == b ? 1 : 0, mean, COVARIANCE_TOL, "cov[" + a + "][" + b + "]");
      }
    }
  }

  @Test
  void fit_keepsTheLeadingComponentsAndCentresOnTheMean() {
    EmbeddingMatrix data = coneData(300, 6, 2);
    Whitening w = Whitening.fit(data, 3, 0.01);
    assertEquals(6, w.inputDimension());
    assertEquals(3, w.outputDimension());
    double[][] y = unnormalised(w, data);
    for (int r = 0; r < 3; r++) {
      double mean = 0;
      double var = 0;
      for (double[] row : y) {
        mean += row[r] / y.length;
      }
      for (double[] row : y) {
        var += (row[r] - mean) * (row[r] - mean) / (y.length - 1);
      }
      assertEquals(0, mean, 1e-4, "component " + r + " is centred");
      // λ / (λ + 0.01 λmax) < 1, and the leading component is closest to 1.
      assertTrue(var < 1 && var > 0.5, "component " + r + " variance " + var);
    }
    assertTrue(w.apply(data).size() == 300);
  }

  @Test
  void fit_isDeterministic_toTheByte() {
    EmbeddingMatrix data = coneData(200, 5, 3);
    Whitening a = Whitening.fit(data, 5, 0.01);
    Whitening b = Whitening.fit(data, 5, 0.01);
    assertArrayEquals(a.matrix().toArray(), b.matrix().toArray());
    assertArrayEquals(a.mean(), b.mean());
  }

  @Test
  void apply_spreadsTheConeApart() {
    EmbeddingMatrix data = coneData(300, 8, 4);
    EmbeddingMatrix white = Whitening.fit(data, 8, 0.01).apply(data);
    assertTrue(meanCosine(data) > 0.8, "raw rows sit in a cone: " + meanCosine(data));
    assertTrue(
        Math.abs(meanCosine(white)) < 0.05, "whitened rows are spread: " + meanCosine(white));
  }

  private static double meanCosine(EmbeddingMatrix m) {
    double s = 0;
    int pairs = 0;
    for (int i = 0; i < m.size(); i += 7) {
      for (int j = i + 1; j < m.size(); j += 5) {
        s += m.get(i).cosine(m.get(j));
        pairs++;
      }
    }
    return s / pairs;
  }

  @Test
  void of_roundTripsAFittedTransform() {
    EmbeddingMatrix data = coneData(100, 4, 5);
    Whitening w = Whitening.fit(data, 3, 0.05);
    Whitening copy = Whitening.of(w.mean(), w.matrix(), w.epsilon());
    assertEquals(w.apply(data), copy.apply(data));
  }

  @Test
  void apply_withWrongDimension_namesBoth() {
    Whitening w = Whitening.fit(coneData(50, 4, 6), 4, 0.01);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> w.apply(coneData(10, 5, 7)));
    assertTrue(e.getMessage().contains("dimension 5") && e.getMessage().contains("4"));
  }

  @Test
  void fit_withBadArguments_namesTheValue() {
    EmbeddingMatrix data = coneData(20, 4, 8);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(data, 5, 0.01))
            .getMessage()
            .contains("got 5"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(data, 4, 0))
            .getMessage()
            .contains("got 0.0"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> Whitening.fit(coneData(1, 4, 9), 4, 0.01))
            .getMessage()
            .contains("got 1"));
  }

  @Test
  void of_withNonFiniteMean_namesTheEntry() {
    float[] mean = {0, Float.NaN};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Whitening.of(mean, FloatMatrix.zeros(2, 2), 0.01));
    assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
  }
}
