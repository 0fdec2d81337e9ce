package dev.lit4j.math.internal;

import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both kernels against a float64 reference. Surefire runs this class twice: once on a JVM without
 * {@code jdk.incubator.vector} (where {@link SimilarityKernels#best()} is the auto-vectorised
 * kernel) and once with it (the Vector API kernel); {@link
 * #best_usesTheVectorApi_exactlyWhenTheModuleIsPresent} proves which one each run exercised.
 */
class SimilarityKernelsTest {

  /**
   * Unit roundoff of float32: a float32 dot product of length D errs by at most about {@code D · u
   * · Σ|xₖ yₖ|} however its terms are grouped (Higham, Accuracy and Stability, §3.1).
   */
  private static final double FLOAT32_UNIT_ROUNDOFF = 0x1p-24;

  /**
   * Shapes around every block edge of both kernels (8-row and 2-vector tiles, KC = 256, MC = 128,
   * NC = 4096).
   */
  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(1, 1, 1), // a single product, all tile edges
        Arguments.of(1, 1, 17), // D not a multiple of any vector width
        Arguments.of(8, 32, 256), // exactly one 512-bit tile, exactly one depth block
        Arguments.of(9, 33, 257), // one past each: edge tiles and a depth tail of 1
        Arguments.of(7, 31, 513), // one short of a tile, three depth blocks
        Arguments.of(129, 70, 300), // two row blocks (parallel), the second a single row
        Arguments.of(300, 17, 768), // the training dimension, three parallel row blocks
        Arguments.of(3, 4100, 5), // two column blocks, the second 4 columns wide
        Arguments.of(0, 5, 3), // no rows
        Arguments.of(4, 3, 0)); // D = 0: all dot products are 0
  }

  @ParameterizedTest(name = "best: [{0} x {2}] · [{1} x {2}]ᵀ")
  @MethodSource("shapes")
  void best_matchesFloat64Reference(int m, int n, int d) {
    assertMatchesReference(SimilarityKernels.best(), m, n, d);
  }

  @ParameterizedTest(name = "auto-vectorised: [{0} x {2}] · [{1} x {2}]ᵀ")
  @MethodSource("shapes")
  void autoVectorised_matchesFloat64Reference(int m, int n, int d) {
    assertMatchesReference(SimilarityKernels.autoVectorised(), m, n, d);
  }

  @Test
  void best_usesTheVectorApi_exactlyWhenTheModuleIsPresent() {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    assertEquals(present, SimilarityKernels.vectorApiInUse());
  }

  @Test
  void best_overwritesStaleOutput() {
    float[] out = new float[2 * 40];
    java.util.Arrays.fill(out, Float.NaN);
    float[] x = new float[2 * 300];
    float[] y = new float[40 * 300];
    x[0] = 2;
    y[0] = 3;

    SimilarityKernels.best().multiplyTransposed(x, y, 2, 40, 300, out);

    assertEquals(6f, out[0]);
    for (int i = 1; i < out.length; i++) {
      assertEquals(0f, out[i], "index " + i);
    }
  }

  private static void assertMatchesReference(SimilarityKernel kernel, int m, int n, int d) {
    Random random = new Random(31L * m + n + 7L * d);
    float[] x = gaussian(random, m * d);
    float[] y = gaussian(random, n * d);
    float[] out = new float[m * n];
    java.util.Arrays.fill(out, Float.NaN);

    kernel.multiplyTransposed(x, y, m, n, d, out);

    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double magnitude = 0;
        for (int p = 0; p < d; p++) {
          exact += (double) x[i * d + p] * y[j * d + p];
          magnitude += Math.abs((double) x[i * d + p] * y[j * d + p]);
        }
        double bound = Math.max(d, 1) * FLOAT32_UNIT_ROUNDOFF * magnitude;
        assertClose(exact, out[i * n + j], 0, bound, "(" + i + ", " + j + ")");
      }
    }
  }

  private static float[] gaussian(Random random, int size) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
