package dev.lit4j.embedding;

import dev.lit4j.math.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * An immutable batch of {@code n} L2-normalised embeddings of dimension {@code d}: shape {@code [n,
 * d]}, float32, row-major. Row {@code i} is the embedding of item {@code i}.
 *
 * <p>Thread-safe. Every row is finite and of unit norm (normalised at construction).
 */
public final class EmbeddingMatrix {
  private final FloatMatrix matrix;

  private EmbeddingMatrix(FloatMatrix normalised) {
    this.matrix = normalised;
  }

  /**
   * Builds a batch by L2-normalising each row of a raw {@code [n, d]} matrix.
   *
   * @param raw the rows to normalise, {@code [n, d]}; not modified
   * @return the unit-norm rows, {@code [n, d]}
   * @throws IllegalArgumentException if a row holds NaN or infinity or is the zero vector (the row
   *     is named)
   */
  public static EmbeddingMatrix normalising(FloatMatrix raw) {
    Objects.requireNonNull(raw, "raw");
    int n = raw.rows();
    int d = raw.cols();
    float[] src = raw.toArray();
    float[] out = new float[src.length];
    for (int r = 0; r < n; r++) {
      float[] row = Embedding.normalisedCopy(src, r * d, d, "row " + r);
      System.arraycopy(row, 0, out, r * d, d);
    }
    return new EmbeddingMatrix(FloatMatrix.wrap(n, d, out));
  }

  /**
   * Stacks embeddings into a batch.
   *
   * @param embeddings one or more embeddings of one dimension
   * @return the embeddings as rows, in list order
   * @throws IllegalArgumentException if the list is empty or the dimensions differ (the first
   *     mismatching index is named)
   */
  public static EmbeddingMatrix of(List<Embedding> embeddings) {
    Objects.requireNonNull(embeddings, "embeddings");
    if (embeddings.isEmpty()) {
      throw new IllegalArgumentException("cannot stack an empty list of embeddings");
    }
    int d = Objects.requireNonNull(embeddings.get(0), "embeddings[0]").dimension();
    float[] out = new float[embeddings.size() * d];
    for (int i = 0; i < embeddings.size(); i++) {
      Embedding e = Objects.requireNonNull(embeddings.get(i), "embeddings[" + i + "]");
      if (e.dimension() != d) {
        throw new IllegalArgumentException(
            "embedding " + i + " has dimension " + e.dimension() + ", embedding 0 has " + d);
      }
      for (int j = 0; j < d; j++) {
        out[i * d + j] = e.get(j);
      }
    }
    return new EmbeddingMatrix(FloatMatrix.wrap(embeddings.size(), d, out));
  }

  /** {@return the number of embeddings (rows)} */
  public int size() {
    return matrix.rows();
  }

  /** {@return the embedding dimension (columns)} */
  public int dimension() {
    return matrix.cols();
  }

  /**
   * {@return embedding {@code i}}
   *
   * @param i the row, in {@code [0, size())}
   */
  public Embedding get(int i) {
    return Embedding.of(matrix.row(i));
  }

  /** {@return the unit-norm rows as an immutable {@code [size, dimension]} matrix} */
  public FloatMatrix matrix() {
    return matrix;
  }

  /**
   * {@return rows {@code [from, to)} as a new batch}
   *
   * @param from the first row, inclusive
   * @param to the end row, exclusive
   * @throws IndexOutOfBoundsException if the range is outside {@code [0, size()]}
   */
  public EmbeddingMatrix slice(int from, int to) {
    return new EmbeddingMatrix(matrix.rowRange(from, to));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingMatrix m && m.matrix.equals(matrix);
  }

  @Override
  public int hashCode() {
    return matrix.hashCode();
  }

  @Override
  public String toString() {
    return "EmbeddingMatrix[" + size() + " x " + dimension() + "]";
  }
}
