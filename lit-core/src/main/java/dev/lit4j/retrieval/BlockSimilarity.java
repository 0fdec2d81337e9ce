package dev.lit4j.retrieval;

import dev.lit4j.math.FloatMatrix;

/**
 * The block similarity kernel of {@link RetrievalIndex}: {@code x · yᵀ}, float64 accumulation,
 * float32 result. Isolated here so that it can be replaced by {@code dev.lit4j.math.Similarity}'s
 * matrix kernel (same contract) in one place.
 */
final class BlockSimilarity {
  private BlockSimilarity() {}

  /** Returns {@code x · yᵀ}, shape {@code [x.rows, y.rows]}; both must have {@code cols} equal. */
  static FloatMatrix matrix(FloatMatrix x, FloatMatrix y) {
    int n = x.rows();
    int m = y.rows();
    int d = x.cols();
    float[] a = x.toArray();
    float[] b = y.toArray();
    float[] out = new float[Math.multiplyExact(n, m)];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double dot = 0;
        int ai = i * d;
        int bj = j * d;
        for (int c = 0; c < d; c++) {
          dot += (double) a[ai + c] * b[bj + c];
        }
        out[i * m + j] = (float) dot;
      }
    }
    return FloatMatrix.wrap(n, m, out);
  }
}
