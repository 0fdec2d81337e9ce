package dev.lit4j.math;

import dev.lit4j.math.internal.SimilarityKernels;
import java.util.Objects;

/**
 * Pairwise dot products between the rows of two matrices: the similarity matrix {@code S = X Yᵀ} of
 * a contrastive batch, or the cosine similarities of L2-normalised embeddings.
 *
 * <p>{@link #matrix} is the fast float32 kernel, chosen once per JVM:
 *
 * <ul>
 *   <li>with the JVM flag {@code --add-modules jdk.incubator.vector} (the JDK's Vector API, still
 *       incubating in JDK 17; the JVM then prints one "Using incubator modules" warning at start),
 *       a register-blocked micro-kernel on packed panels (Goto and van de Geijn 2008) that keeps an
 *       8 × 2-vector tile of S in registers;
 *   <li>without it, a cache-blocked kernel whose inner loops HotSpot auto-vectorises, about four
 *       times slower at B = 4096, D = 768.
 * </ul>
 *
 * <p>Both run row blocks of X on the common {@link java.util.concurrent.ForkJoinPool} (small
 * products run on the calling thread). {@link #matrixReference} is the plain float64 triple loop
 * used as the oracle in tests.
 *
 * <p>Thread-safe: stateless.
 *
 * <pre>{@code
 * FloatMatrix s = Similarity.matrix(images, texts); // [images.rows(), texts.rows()]
 * }</pre>
 */
public final class Similarity {
  private Similarity() {}

  /**
   * Returns {@code x · yᵀ}: element {@code (i, j)} is the dot product of row {@code i} of {@code x}
   * and row {@code j} of {@code y}.
   *
   * <p>Float32 storage and accumulation; the error of element {@code (i, j)} is bounded by about
   * {@code D · 2⁻²⁴ · Σₖ |xᵢₖ yⱼₖ|} and is typically {@code √D} times smaller (for unit vectors
   * with {@code D = 576}: a few {@code 1e-7}).
   *
   * @param x shape {@code [M, D]}
   * @param y shape {@code [N, D]}
   * @return shape {@code [M, N]}
   * @throws IllegalArgumentException if the column counts differ
   */
  public static FloatMatrix matrix(FloatMatrix x, FloatMatrix y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.cols() != y.cols()) {
      throw new IllegalArgumentException(
          "x has "
              + x.cols()
              + " columns and y has "
              + y.cols()
              + "; both must have the same dimension D");
    }
    int m = x.rows();
    int n = y.rows();
    float[] out = new float[Math.multiplyExact(m, n)];
    SimilarityKernels.best().multiplyTransposed(x.toArray(), y.toArray(), m, n, x.cols(), out);
    return FloatMatrix.wrap(m, n, out);
  }

  /**
   * Returns {@code x · yᵀ} computed in float64 by the textbook triple loop; the reference for
   * {@link #matrix} and for engine kernels.
   *
   * @param x {@code M} rows of equal length {@code D}
   * @param y {@code N} rows of length {@code D}
   * @return {@code M} rows of length {@code N}
   * @throws IllegalArgumentException if a row's length differs from {@code D}
   */
  public static double[][] matrixReference(double[][] x, double[][] y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    int d = x.length > 0 ? x[0].length : y.length > 0 ? y[0].length : 0;
    checkRows(x, "x", d);
    checkRows(y, "y", d);
    double[][] out = new double[x.length][y.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < y.length; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += x[i][k] * y[j][k];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  private static void checkRows(double[][] rows, String name, int d) {
    for (int r = 0; r < rows.length; r++) {
      Objects.requireNonNull(rows[r], name + "[" + r + "]");
      if (rows[r].length != d) {
        throw new IllegalArgumentException(
            name + "[" + r + "] has " + rows[r].length + " values, expected D = " + d);
      }
    }
  }
}
