package dev.lit4j.spark;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.TowerIdentity;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Text queries embedded once on the driver by a model's text tower, to be broadcast to executors
 * for {@link SearchJob}: the query texts, their embeddings ({@code [Q, D]}, unit-norm rows) and the
 * identity of the model's image tower, which the searched embeddings must come from.
 *
 * <p>Immutable and thread-safe; serialisable.
 */
public final class QueryMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The query texts, in query-index order ({@code Q} of them, each once). */
  private final String[] texts;

  /** The query embeddings, row-major {@code [Q, D]}: row {@code q} is query {@code q}. */
  private final float[] rows;

  /** The embedding dimension {@code D}. */
  private final int dimension;

  /** The image tower's identity: name, weights checksum, preprocessing, in that order. */
  private final String[] imageTower;

  private QueryMatrix(List<String> texts, EmbeddingMatrix embeddings, TowerIdentity imageTower) {
    this.texts = texts.toArray(String[]::new);
    this.rows = embeddings.matrix().toArray();
    this.dimension = embeddings.dimension();
    this.imageTower =
        new String[] {imageTower.name(), imageTower.checksum(), imageTower.preprocessing()};
  }

  /**
   * Embeds {@code queries} with the model's text tower. The model is only used during the call: the
   * caller keeps owning it and may close it once this returns.
   *
   * @param model an open model, whose text tower embeds the queries and whose image tower's
   *     identity the searched embeddings must match
   * @param queries the query texts, in query-index order; not empty, none null, none repeated
   * @return the embedded queries, holding no reference to {@code model}
   * @throws NullPointerException if an argument or a query is null
   * @throws IllegalArgumentException if the list is empty or a query repeats (results are keyed by
   *     query text)
   */
  public static QueryMatrix of(LitModel model, List<String> queries) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(queries, "queries");
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("need at least one query");
    }
    Set<String> seen = new HashSet<>();
    for (String q : queries) {
      if (!seen.add(Objects.requireNonNull(q, "query"))) {
        throw new IllegalArgumentException(
            "query '" + q + "' appears twice; results are keyed by query text, give each once");
      }
    }
    return new QueryMatrix(
        queries, model.textTower().embedAll(queries), model.imageTower().identity());
  }

  /** {@return the query texts, in query-index order (an unmodifiable list of {@code Q})} */
  public List<String> texts() {
    return List.of(texts);
  }

  /** {@return the query embeddings, {@code [Q, D]} unit-norm rows (a fresh copy on each call)} */
  public EmbeddingMatrix embeddings() {
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(texts.length, dimension, rows.clone()));
  }

  /** {@return the identity of the image tower whose embeddings these queries search} */
  public TowerIdentity imageTower() {
    return new TowerIdentity(imageTower[0], imageTower[1], imageTower[2]);
  }
}
