package dev.lit4j.math.internal;

/**
 * A float32 kernel for {@code S = X · Yᵀ} on row-major arrays. Implementations are stateless and
 * thread-safe; each call may run on the common {@link java.util.concurrent.ForkJoinPool} through
 * {@link Parallel}.
 */
public interface SimilarityKernel {

  /**
   * Writes {@code x · yᵀ} into {@code out}: {@code out[i·n + j] = Σₚ x[i·d + p] · y[j·d + p]}.
   *
   * @param x row-major {@code [m, d]}
   * @param y row-major {@code [n, d]}
   * @param m rows of {@code x}
   * @param n rows of {@code y}
   * @param d the shared row length
   * @param out row-major {@code [m, n]}, overwritten
   */
  void multiplyTransposed(float[] x, float[] y, int m, int n, int d, float[] out);
}
