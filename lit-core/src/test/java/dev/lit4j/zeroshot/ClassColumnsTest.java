package dev.lit4j.zeroshot;

import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassColumnsTest {
  /** float32 unit roundoff: a float32 dot product of length D errs by at most D·u·Σ|xⱼ wⱼ|. */
  private static final double FLOAT32_UNIT_ROUNDOFF = 0x1p-24;

  private static final int K = 37;
  private static final int D = 19;
  // One full pass of 8, then a pass of 3: a pair and an odd image.
  private static final int N = 11;

  @Test
  void cosines_inPasses_matchFloat64ReferenceAndScoringAlone() {
    Random random = new Random(11);
    EmbeddingMatrix classes = EmbeddingMatrix.normalising(gaussian(random, K, D));
    float[] w = classes.matrix().toArray();
    float[] x = gaussian(random, N, D).toArray();
    ClassColumns columns = ClassColumns.of(classes);

    float[][] acc = new float[ClassColumns.IMAGES_PER_PASS][K];
    float[][] alone = new float[1][K];
    for (int i0 = 0; i0 < N; i0 += ClassColumns.IMAGES_PER_PASS) {
      int images = Math.min(ClassColumns.IMAGES_PER_PASS, N - i0);
      columns.cosines(x, i0, images, D, acc);
      for (int i = 0; i < images; i++) {
        int image = i0 + i;
        columns.cosines(x, image, 1, D, alone);
        assertArrayEquals(alone[0], acc[i], "image " + image + ": batched and alone differ");
        for (int c = 0; c < K; c++) {
          double exact = 0;
          double magnitude = 0;
          for (int j = 0; j < D; j++) {
            double term = (double) x[image * D + j] * w[c * D + j];
            exact += term;
            magnitude += Math.abs(term);
          }
          assertClose(
              exact,
              acc[i][c],
              0,
              D * FLOAT32_UNIT_ROUNDOFF * magnitude,
              "image " + image + ", class " + c);
        }
      }
    }
  }

  private static FloatMatrix gaussian(Random random, int rows, int cols) {
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return FloatMatrix.of(rows, cols, values);
  }
}
