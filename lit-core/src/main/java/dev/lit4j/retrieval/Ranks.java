package dev.lit4j.retrieval;

import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
import java.util.Arrays;

/**
 * The 1-based rank of the first correct item of every retrieval query, in both directions.
 *
 * @param imageToText one rank per image that has a caption, in image order
 * @param textToImage one rank per text
 */
record Ranks(int[] imageToText, int[] textToImage) {
  /** Upper bound on the similarities held at once: query block × gallery size. */
  static final int MAX_BLOCK_VALUES = 1 << 22;

  static Ranks compute(FloatMatrix images, FloatMatrix texts, int[] textToImage) {
    int[][] captions = captionsPerImage(images.rows(), textToImage);
    int withCaptions = 0;
    for (int[] c : captions) {
      withCaptions += c.length > 0 ? 1 : 0;
    }
    int[] i2t = new int[withCaptions];
    int[] next = {0};
    forEachRow(
        images,
        texts,
        (i, row) -> {
          if (captions[i].length > 0) {
            int best = captions[i][0];
            for (int c : captions[i]) {
              if (better(row[c], c, row[best], best)) {
                best = c;
              }
            }
            i2t[next[0]++] = rank(row, best);
          }
        });
    int[] t2i = new int[texts.rows()];
    forEachRow(texts, images, (j, row) -> t2i[j] = rank(row, textToImage[j]));
    return new Ranks(i2t, t2i);
  }

  private static int[][] captionsPerImage(int images, int[] textToImage) {
    int[] counts = new int[images];
    for (int image : textToImage) {
      counts[image]++;
    }
    int[][] out = new int[images][];
    for (int i = 0; i < images; i++) {
      out[i] = new int[counts[i]];
    }
    Arrays.fill(counts, 0);
    for (int j = 0; j < textToImage.length; j++) {
      int i = textToImage[j];
      out[i][counts[i]++] = j;
    }
    return out;
  }

  /** Same order as the retrieval index: higher score first, then lower index. */
  private static boolean better(float s1, int i1, float s2, int i2) {
    return s1 > s2 || (s1 == s2 && i1 < i2);
  }

  /** Returns 1 + the number of gallery items ranked before item {@code correct}. */
  private static int rank(float[] row, int correct) {
    int before = 0;
    float s = row[correct];
    for (int j = 0; j < row.length; j++) {
      if (better(row[j], j, s, correct)) {
        before++;
      }
    }
    return before + 1;
  }

  private interface RowConsumer {
    void accept(int query, float[] similarities);
  }

  /** Calls {@code consumer} with each query's similarities to the whole gallery, in query order. */
  private static void forEachRow(FloatMatrix queries, FloatMatrix gallery, RowConsumer consumer) {
    int n = gallery.rows();
    int block = Math.max(1, Math.min(64, MAX_BLOCK_VALUES / Math.max(1, n)));
    for (int q0 = 0; q0 < queries.rows(); q0 += block) {
      FloatMatrix sims =
          Similarity.matrix(queries.rowRange(q0, Math.min(queries.rows(), q0 + block)), gallery);
      for (int i = 0; i < sims.rows(); i++) {
        consumer.accept(q0 + i, sims.row(i));
      }
    }
  }
}
