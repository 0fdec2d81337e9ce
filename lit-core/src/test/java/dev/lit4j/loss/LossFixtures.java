package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;
import java.util.Random;

/** Seeded inputs for loss tests, held as float32-representable doubles so both paths agree. */
final class LossFixtures {
  private LossFixtures() {}

  /** Rows of unit length (after rounding to float32, within float32 rounding of unit). */
  static double[][] unitRows(Random random, int rows, int cols) {
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      double norm = 0;
      for (int c = 0; c < cols; c++) {
        row[c] = random.nextGaussian();
        norm += row[c] * row[c];
      }
      for (int c = 0; c < cols; c++) {
        row[c] = (float) (row[c] / Math.sqrt(norm));
      }
    }
    return out;
  }

  static FloatMatrix toMatrix(double[][] rows) {
    int cols = rows[0].length;
    float[] data = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < cols; c++) {
        data[r * cols + c] = (float) rows[r][c];
      }
    }
    return FloatMatrix.wrap(rows.length, cols, data);
  }

  static double[][] toRows(FloatMatrix m) {
    double[][] out = new double[m.rows()][m.cols()];
    for (int r = 0; r < m.rows(); r++) {
      for (int c = 0; c < m.cols(); c++) {
        out[r][c] = m.get(r, c);
      }
    }
    return out;
  }

  static double maxAbs(double[][] m) {
    double max = 0;
    for (double[] row : m) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  static double[][] scaled(double[][] m, double c) {
    double[][] out = new double[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = m[r].clone();
      for (int k = 0; k < out[r].length; k++) {
        out[r][k] *= c;
      }
    }
    return out;
  }
}
