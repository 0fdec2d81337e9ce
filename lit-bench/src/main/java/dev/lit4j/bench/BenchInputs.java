package dev.lit4j.bench;

import dev.lit4j.math.FloatMatrix;
import java.util.SplittableRandom;

/** Seeded benchmark inputs: Gaussian rows, L2-normalised, as a tower would emit. */
final class BenchInputs {
  /** Seed of the image matrix in every benchmark. */
  static final long IMAGE_SEED = 20221;

  /** Seed of the text matrix in every benchmark. */
  static final long TEXT_SEED = 20222;

  private BenchInputs() {}

  /** Returns a {@code [rows, dim]} matrix of unit rows drawn from {@code seed}. */
  static FloatMatrix unitRows(int rows, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[Math.multiplyExact(rows, dim)];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int c = 0; c < dim; c++) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17.
        double v =
            Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
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
}
