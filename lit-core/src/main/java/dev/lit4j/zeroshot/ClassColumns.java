package dev.lit4j.zeroshot;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.Arrays;

/**
 * A classifier's class embeddings laid out for scoring: transposed, one row array per dimension
 * ({@code columns[j][c]} is dimension {@code j} of class {@code c}), so that the cosines of an
 * image with all classes are a sum of class rows scaled by the image's values, with inner loops
 * over classes in separate row arrays, the shape HotSpot C2 vectorises.
 *
 * <p>Immutable and thread-safe.
 */
final class ClassColumns {
  /** Images scored per pass over the class matrix. */
  static final int IMAGES_PER_PASS = 8;

  private final float[][] columns;

  private ClassColumns(float[][] columns) {
    this.columns = columns;
  }

  /** {@return the columns of {@code classEmbeddings} ({@code [K, D]})} */
  static ClassColumns of(EmbeddingMatrix classEmbeddings) {
    FloatMatrix transposed = classEmbeddings.matrix().transpose();
    float[][] rows = new float[transposed.rows()][];
    for (int j = 0; j < rows.length; j++) {
      rows[j] = transposed.row(j);
    }
    return new ClassColumns(rows);
  }

  /**
   * Writes the cosines of images {@code [i0, i0 + images)} of {@code x} with every class into
   * {@code acc[0..images)}: {@code acc[i][c] = Σⱼ x[i0 + i][j] · W[c][j]}, summed over {@code j} in
   * order.
   *
   * <p>Each class row {@code columns[j]} is read once per pass of up to {@value #IMAGES_PER_PASS}
   * images and stays in L1 while it serves them two by two, instead of the whole {@code [D, K]}
   * matrix (2.3 MB for 1,000 classes at D = 576, more than L2) being streamed once per image, which
   * was most of the scoring time. Pairs, not wider groups: JDK 17's C2 vectorises the three-array
   * loop below but not loops over six arrays or more. Every image's cosines are the same sequence
   * of float32 multiply-adds however the pass is made up (Java does not contract them into fused
   * multiply-adds), so an image's scores are bit-identical in every batch and alone.
   *
   * @param x image embeddings, {@code [N, d]} row-major
   * @param i0 the first image
   * @param images how many images, {@code 1..IMAGES_PER_PASS}
   * @param d the dimension
   * @param acc at least {@code images} arrays of length {@code K}, overwritten
   */
  void cosines(float[] x, int i0, int images, int d, float[][] acc) {
    for (int i = 0; i < images; i++) {
      Arrays.fill(acc[i], 0f);
    }
    int paired = images - images % 2;
    for (int j = 0; j < d; j++) {
      float[] w = columns[j];
      for (int i = 0; i < paired; i += 2) {
        float x0 = x[(i0 + i) * d + j];
        float x1 = x[(i0 + i + 1) * d + j];
        float[] a0 = acc[i];
        float[] a1 = acc[i + 1];
        for (int c = 0; c < w.length; c++) {
          float wc = w[c];
          a0[c] += wc * x0;
          a1[c] += wc * x1;
        }
      }
    }
    if (paired < images) {
      float[] a = acc[paired];
      for (int j = 0; j < d; j++) {
        float xj = x[(i0 + paired) * d + j];
        float[] w = columns[j];
        for (int c = 0; c < w.length; c++) {
          a[c] += w[c] * xj;
        }
      }
    }
  }
}
