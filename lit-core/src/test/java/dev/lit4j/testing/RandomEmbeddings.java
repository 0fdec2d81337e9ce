package dev.lit4j.testing;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.Random;

/** Seeded random unit-norm embeddings for tests. */
public final class RandomEmbeddings {
  private RandomEmbeddings() {}

  /** Returns {@code n} Gaussian rows of dimension {@code d}, normalised, from {@code seed}. */
  public static EmbeddingMatrix gaussian(int n, int d, long seed) {
    Random random = new Random(seed);
    float[] data = new float[n * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(n, d, data));
  }

  /** Returns the rows of {@code m} in the order {@code order}: row i is {@code m[order[i]]}. */
  public static EmbeddingMatrix permuteRows(EmbeddingMatrix m, int[] order) {
    int d = m.dimension();
    float[] src = m.matrix().toArray();
    float[] out = new float[order.length * d];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(src, order[i] * d, out, i * d, d);
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(order.length, d, out));
  }

  /** Returns a seeded random permutation of {@code 0..n-1}. */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
