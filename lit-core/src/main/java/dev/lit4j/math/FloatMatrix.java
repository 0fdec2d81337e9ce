package dev.lit4j.math;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable dense float32 matrix of shape {@code [rows, cols]}, stored row-major.
 *
 * <p>Thread-safe: no method mutates the matrix. {@link #of} copies its input; {@link #wrap} takes
 * ownership of an array that the caller promises never to modify again, which lets kernels hand
 * back large results without a copy.
 */
public final class FloatMatrix {
  private final int rows;
  private final int cols;
  private final float[] data;

  private FloatMatrix(int rows, int cols, float[] data) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "matrix shape must be non-negative, got [" + rows + ", " + cols + "]");
    }
    Objects.requireNonNull(data, "data");
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "shape ["
              + rows
              + ", "
              + cols
              + "] needs "
              + (long) rows * cols
              + " values, got "
              + data.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * {@return a matrix holding a copy of {@code rowMajor}}
   *
   * @param rows the number of rows
   * @param cols the number of columns
   * @param rowMajor {@code rows · cols} values, row after row
   * @throws IllegalArgumentException if {@code rowMajor.length != rows * cols}
   */
  public static FloatMatrix of(int rows, int cols, float[] rowMajor) {
    return new FloatMatrix(rows, cols, Objects.requireNonNull(rowMajor, "rowMajor").clone());
  }

  /**
   * {@return a matrix backed by {@code rowMajor} without copying} The caller transfers ownership
   * and must not modify the array afterwards.
   *
   * @param rows the number of rows
   * @param cols the number of columns
   * @param rowMajor {@code rows · cols} values, row after row; owned by the matrix from now on
   * @throws IllegalArgumentException if {@code rowMajor.length != rows * cols}
   */
  public static FloatMatrix wrap(int rows, int cols, float[] rowMajor) {
    return new FloatMatrix(rows, cols, rowMajor);
  }

  /**
   * {@return a matrix whose rows are copies of {@code rows}}
   *
   * @param rows the rows, all of one length
   * @throws IllegalArgumentException if the rows are ragged (the first bad row is named)
   */
  public static FloatMatrix ofRows(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    int cols = rows.length == 0 ? 0 : rows[0].length;
    float[] data = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      Objects.requireNonNull(rows[r], "rows[" + r + "]");
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, data, r * cols, cols);
    }
    return new FloatMatrix(rows.length, cols, data);
  }

  /**
   * {@return a matrix of zeros}
   *
   * @param rows the number of rows
   * @param cols the number of columns
   */
  public static FloatMatrix zeros(int rows, int cols) {
    return new FloatMatrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
  }

  /** {@return the number of rows} */
  public int rows() {
    return rows;
  }

  /** {@return the number of columns} */
  public int cols() {
    return cols;
  }

  /**
   * {@return the element at {@code (row, col)}}
   *
   * @param row the row index
   * @param col the column index
   */
  public float get(int row, int col) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return data[row * cols + col];
  }

  /**
   * {@return a copy of row {@code row}}
   *
   * @param row the row index
   */
  public float[] row(int row) {
    Objects.checkIndex(row, rows);
    return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
  }

  /** {@return a row-major copy of all values} */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * Copies all values, row-major, into {@code dst} starting at {@code offset}.
   *
   * @param dst the array to fill
   * @param offset the index in {@code dst} of the first value
   * @throws IndexOutOfBoundsException if {@code dst} is too short
   */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /**
   * Copies rows {@code [from, to)} into a new matrix.
   *
   * @param from the first row, inclusive
   * @param to the end row, exclusive
   * @return the rows, {@code [to − from, cols()]}
   * @throws IndexOutOfBoundsException if the range is outside {@code [0, rows()]}
   */
  public FloatMatrix rowRange(int from, int to) {
    Objects.checkFromToIndex(from, to, rows);
    return new FloatMatrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
  }

  /** {@return the transpose as a new matrix} */
  public FloatMatrix transpose() {
    float[] t = new float[data.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = data[r * cols + c];
      }
    }
    return new FloatMatrix(cols, rows, t);
  }

  /** {@return the index of the first non-finite value, or -1 if all values are finite} */
  public int indexOfNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatMatrix m
        && m.rows == rows
        && m.cols == cols
        && Arrays.equals(m.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatMatrix[" + rows + " x " + cols + "]";
  }
}
