package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.internal.Gemm;
import dev.lit4j.math.internal.Parallel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated batch of {@code B} pairs in the row layout the GEMM kernel needs, with the two
 * products every contrastive loss is made of: a row chunk of the similarities {@code S = X Yᵀ}, and
 * the gradient products {@code G Y} and {@code Gᵀ X} for a row chunk {@code G} of the
 * logit-gradient matrix. Row blocks run on the common ForkJoinPool (see {@link Parallel}).
 */
final class PairBatch {
  private static final int ROW_BLOCK = 16;
  private static final int COLS_PER_TRANSPOSE_TASK = 256;

  final int size;
  final int dim;
  private final float[][] xRows;
  private final float[][] yRows;
  private final float[][] yT;

  private PairBatch(FloatMatrix images, FloatMatrix texts) {
    size = images.rows();
    dim = images.cols();
    xRows = Gemm.toRows(images.toArray(), size, dim);
    yRows = Gemm.toRows(texts.toArray(), size, dim);
    yT = Gemm.toTransposedRows(texts.toArray(), size, dim);
  }

  /**
   * Validates the inputs of a loss and lays them out.
   *
   * @throws IllegalArgumentException if the shapes differ, {@code B = 0}, or a value is not finite
   */
  static PairBatch of(FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(parameters, "parameters");
    if (images.rows() != texts.rows() || images.cols() != texts.cols()) {
      throw new IllegalArgumentException(
          "images and texts must have the same shape [B, D], got images ["
              + images.rows()
              + ", "
              + images.cols()
              + "] and texts ["
              + texts.rows()
              + ", "
              + texts.cols()
              + "]");
    }
    if (images.rows() == 0) {
      throw new IllegalArgumentException(
          "a contrastive batch needs at least one pair, got B = 0; pass B >= 1 rows");
    }
    checkFinite(images, "images");
    checkFinite(texts, "texts");
    return new PairBatch(images, texts);
  }

  private static void checkFinite(FloatMatrix m, String name) {
    int bad = m.indexOfNonFinite();
    if (bad >= 0) {
      int row = bad / m.cols();
      int col = bad % m.cols();
      throw new IllegalArgumentException(
          name
              + " value at (row "
              + row
              + ", col "
              + col
              + ") is "
              + m.get(row, col)
              + "; every input must be finite");
    }
  }

  /** Returns {@code S} rows {@code [from, to)}: {@code to − from} rows of length {@code B}. */
  float[][] similarities(int from, int to) {
    float[][] out = new float[to - from][size];
    Parallel.forEachBlock(
        to - from,
        ROW_BLOCK,
        2L * size * dim,
        (a, b) -> Gemm.multiplyAdd(xRows, from + a, yT, out, a, b - a));
    return out;
  }

  /**
   * Adds {@code g · Y} to rows {@code [from, to)} of {@code gradX} and {@code gᵀ · X[from, to)} to
   * {@code gradY}, where {@code g} holds rows {@code [from, to)} of {@code ∂L/∂S}.
   */
  void addGradients(float[][] g, int from, int to, float[][] gradX, float[][] gradY) {
    int rows = to - from;
    Parallel.forEachBlock(
        rows,
        ROW_BLOCK,
        2L * size * dim,
        (a, b) -> Gemm.multiplyAdd(g, a, yRows, gradX, from + a, b - a));
    float[][] gT = new float[size][rows];
    Parallel.forEachBlock(
        size, COLS_PER_TRANSPOSE_TASK, rows, (a, b) -> Gemm.transposeColumns(g, a, b, gT));
    float[][] xChunk = Arrays.copyOfRange(xRows, from, to);
    Parallel.forEachBlock(
        size,
        ROW_BLOCK,
        2L * rows * dim,
        (a, b) -> Gemm.multiplyAdd(gT, a, xChunk, gradY, a, b - a));
  }

  /** Returns a zeroed gradient buffer of shape {@code [B, D]}. */
  float[][] newGradient() {
    return new float[size][dim];
  }

  /** Packs row arrays into a matrix. */
  static FloatMatrix toMatrix(float[][] rows, int cols) {
    float[] data = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, data, r * cols, cols);
    }
    return FloatMatrix.wrap(rows.length, cols, data);
  }

  /** Throws if a similarity overflowed float32, naming its position. */
  static void checkSimilarityRow(float[] row, int i) {
    for (int j = 0; j < row.length; j++) {
      if (!Float.isFinite(row[j])) {
        throw new IllegalArgumentException(
            "similarity x"
                + i
                + "·y"
                + j
                + " = "
                + row[j]
                + " overflows float32; L2-normalise the embeddings or scale them down");
      }
    }
  }
}
