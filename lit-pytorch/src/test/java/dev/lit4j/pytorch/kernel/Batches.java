package dev.lit4j.pytorch.kernel;

import dev.lit4j.math.FloatMatrix;
import java.util.SplittableRandom;

/** Seeded test batches: rows drawn from a Gaussian and L2-normalised, as a tower would emit. */
final class Batches {
  private Batches() {}

  /** Returns a {@code [rows, dim]} matrix of unit rows from {@code seed}. */
  static FloatMatrix unitRows(int rows, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int c = 0; c < dim; c++) {
        double v = gaussian(random);
        data[r * dim + c] = (float) v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int c = 0; c < dim; c++) {
        data[r * dim + c] *= inv;
      }
    }
    return FloatMatrix.wrap(rows, dim, data);
  }

  /**
   * Returns texts correlated with {@code images}: each row is {@code images[i] + noise · g},
   * re-normalised, so positives score higher than negatives as after some training.
   */
  static FloatMatrix noisyCopy(FloatMatrix images, double noise, long seed) {
    FloatMatrix g = unitRows(images.rows(), images.cols(), seed);
    float[][] rows = new float[images.rows()][];
    for (int r = 0; r < images.rows(); r++) {
      float[] a = images.row(r);
      float[] b = g.row(r);
      double norm = 0;
      for (int c = 0; c < a.length; c++) {
        a[c] += (float) (noise * b[c]);
        norm += (double) a[c] * a[c];
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int c = 0; c < a.length; c++) {
        a[c] *= inv;
      }
      rows[r] = a;
    }
    return FloatMatrix.ofRows(rows);
  }

  /** Returns {@code m} as {@code double[rows][cols]}. */
  static double[][] toDouble(FloatMatrix m) {
    double[][] out = new double[m.rows()][m.cols()];
    for (int r = 0; r < m.rows(); r++) {
      for (int c = 0; c < m.cols(); c++) {
        out[r][c] = m.get(r, c);
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
