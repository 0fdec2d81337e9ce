package dev.lit4j.math.internal;

/**
 * A cache-blocked float32 matrix product on row arrays: {@code C += A · B}.
 *
 * <p>Matrices are arrays of rows ({@code float[rows][cols]}) rather than one flat array: HotSpot C2
 * (JDK 17) auto-vectorises {@code c[j] += a * b[j]} only when each row starts at index 0 of its own
 * array; loops indexed {@code base + j} into a flat array stay scalar and run about ten times
 * slower. The micro-kernel updates two rows of C from three rows of B per pass over a column tile
 * (six multiply-adds per five vector loads and two stores), with tiles of 512 columns and 144 rows
 * of depth (a multiple of three) so the B tile stays in L2.
 *
 * <p>Accuracy: each element is a float32 sum over the depth {@code k}, added in groups of three;
 * the rounding error is bounded by about {@code k · 2⁻²⁴ · Σₚ |aₚ bₚ|} and in practice grows like
 * {@code √k · 2⁻²⁴ · Σₚ |aₚ bₚ|}.
 *
 * <p>Single-threaded; callers parallelise over row blocks with {@link Parallel}.
 */
public final class Gemm {
  static final int COL_TILE = 512;
  static final int DEPTH_TILE = 144;

  private Gemm() {}

  /**
   * Adds {@code A[aFrom + r] · B} to {@code C[cFrom + r]} for {@code r} in {@code [0, rows)}.
   *
   * @param a rows of length {@code k}
   * @param aFrom first row of {@code a} to use
   * @param b {@code k} rows of length {@code n}
   * @param c rows of length {@code n}, updated in place
   * @param cFrom first row of {@code c} to update
   * @param rows how many rows to process
   */
  public static void multiplyAdd(
      float[][] a, int aFrom, float[][] b, float[][] c, int cFrom, int rows) {
    int k = b.length;
    if (k == 0 || rows == 0) {
      return;
    }
    int n = c[cFrom].length;
    for (int j0 = 0; j0 < n; j0 += COL_TILE) {
      int j1 = Math.min(n, j0 + COL_TILE);
      for (int p0 = 0; p0 < k; p0 += DEPTH_TILE) {
        int p1 = Math.min(k, p0 + DEPTH_TILE);
        int r = 0;
        for (; r + 1 < rows; r += 2) {
          twoRows(
              a[aFrom + r], a[aFrom + r + 1], b, c[cFrom + r], c[cFrom + r + 1], p0, p1, j0, j1);
        }
        if (r < rows) {
          oneRow(a[aFrom + r], b, c[cFrom + r], p0, p1, j0, j1);
        }
      }
    }
  }

  private static void twoRows(
      float[] a0, float[] a1, float[][] b, float[] c0, float[] c1, int p0, int p1, int j0, int j1) {
    int p = p0;
    for (; p + 2 < p1; p += 3) {
      twoByThree(
          a0[p], a0[p + 1], a0[p + 2], a1[p], a1[p + 1], a1[p + 2], b[p], b[p + 1], b[p + 2], c0,
          c1, j0, j1);
    }
    for (; p < p1; p++) {
      float u = a0[p];
      float v = a1[p];
      float[] bp = b[p];
      for (int j = j0; j < j1; j++) {
        float x = bp[j];
        c0[j] += u * x;
        c1[j] += v * x;
      }
    }
  }

  // Two rows of C from three rows of B touch five arrays per element. JDK 17's C2 vectorises this
  // loop but not the 2×4 or 4×2 shapes (six arrays), which then run scalar at a fraction of the
  // speed; keep it this shape.
  private static void twoByThree(
      float u0,
      float u1,
      float u2,
      float v0,
      float v1,
      float v2,
      float[] b0,
      float[] b1,
      float[] b2,
      float[] c0,
      float[] c1,
      int j0,
      int j1) {
    for (int j = j0; j < j1; j++) {
      float x0 = b0[j];
      float x1 = b1[j];
      float x2 = b2[j];
      c0[j] += u0 * x0 + u1 * x1 + u2 * x2;
      c1[j] += v0 * x0 + v1 * x1 + v2 * x2;
    }
  }

  private static void oneRow(float[] a0, float[][] b, float[] c0, int p0, int p1, int j0, int j1) {
    int p = p0;
    for (; p + 3 < p1; p += 4) {
      float u0 = a0[p];
      float u1 = a0[p + 1];
      float u2 = a0[p + 2];
      float u3 = a0[p + 3];
      float[] b0 = b[p];
      float[] b1 = b[p + 1];
      float[] b2 = b[p + 2];
      float[] b3 = b[p + 3];
      for (int j = j0; j < j1; j++) {
        c0[j] += u0 * b0[j] + u1 * b1[j] + u2 * b2[j] + u3 * b3[j];
      }
    }
    for (; p < p1; p++) {
      float u = a0[p];
      float[] bp = b[p];
      for (int j = j0; j < j1; j++) {
        c0[j] += u * bp[j];
      }
    }
  }

  /**
   * {@return the rows of a row-major {@code [rows, cols]} array as separate arrays}
   *
   * @param rowMajor {@code rows · cols} values, row after row
   * @param rows the number of rows
   * @param cols the number of columns
   */
  public static float[][] toRows(float[] rowMajor, int rows, int cols) {
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = java.util.Arrays.copyOfRange(rowMajor, r * cols, (r + 1) * cols);
    }
    return out;
  }

  /**
   * {@return the transpose of a row-major {@code [rows, cols]} array as {@code cols} rows}
   *
   * @param rowMajor {@code rows · cols} values, row after row
   * @param rows the number of rows
   * @param cols the number of columns
   */
  public static float[][] toTransposedRows(float[] rowMajor, int rows, int cols) {
    float[][] out = new float[cols][rows];
    for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
      int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
      for (int c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
        int c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
        for (int r = r0; r < r1; r++) {
          int base = r * cols;
          for (int c = c0; c < c1; c++) {
            out[c][r] = rowMajor[base + c];
          }
        }
      }
    }
    return out;
  }

  /**
   * Writes columns {@code [colFrom, colTo)} of {@code rows} transposed into {@code out}: {@code
   * out[c][r] = rows[r][c]} for every row {@code r}. Disjoint column ranges can run in parallel.
   *
   * @param rows the matrix, {@code [R, C]}
   * @param colFrom the first column, inclusive
   * @param colTo the end column, exclusive
   * @param out the transpose, {@code [C, R]}, written in the given columns' rows
   */
  public static void transposeColumns(float[][] rows, int colFrom, int colTo, float[][] out) {
    // Tiled so that both the rows read and the rows written stay in L1 within a tile.
    for (int r0 = 0; r0 < rows.length; r0 += TRANSPOSE_TILE) {
      int r1 = Math.min(rows.length, r0 + TRANSPOSE_TILE);
      for (int c0 = colFrom; c0 < colTo; c0 += TRANSPOSE_TILE) {
        int c1 = Math.min(colTo, c0 + TRANSPOSE_TILE);
        for (int r = r0; r < r1; r++) {
          float[] row = rows[r];
          for (int c = c0; c < c1; c++) {
            out[c][r] = row[c];
          }
        }
      }
    }
  }

  private static final int TRANSPOSE_TILE = 32;
}
