package dev.lit4j.math.internal;

/**
 * The kernel used when the Vector API is not available: {@link Gemm}'s loops, which HotSpot C2
 * auto-vectorises, on row arrays of {@code x} and of the transpose of {@code y}, one task per 16
 * rows of {@code x}.
 */
final class AutoVectorisedSimilarityKernel implements SimilarityKernel {
  private static final int ROW_BLOCK = 16;

  @Override
  public void multiplyTransposed(float[] x, float[] y, int m, int n, int d, float[] out) {
    float[][] xRows = Gemm.toRows(x, m, d);
    float[][] yT = Gemm.toTransposedRows(y, n, d);
    Parallel.forEachBlock(
        m,
        ROW_BLOCK,
        2L * n * d,
        (from, to) -> {
          float[][] block = new float[to - from][n];
          Gemm.multiplyAdd(xRows, from, yT, block, 0, to - from);
          for (int r = 0; r < block.length; r++) {
            System.arraycopy(block[r], 0, out, (from + r) * n, n);
          }
        });
  }
}
