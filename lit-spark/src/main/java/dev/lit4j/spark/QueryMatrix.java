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

  private final String[] texts;
  private final float[] rows;
  private final int dimension;
  private final String[] imageTower;

  private QueryMatrix(List<String> texts, EmbeddingMatrix embeddings, TowerIdentity imageTower) {
    this.texts = texts.toArray(String[]::new);
    this.rows = embeddings.matrix().toArray();
    this.dimension = embeddings.dimension();
    this.imageTower =
        new String[] {imageTower.name(), imageTower.checksum(), imageTower.preprocessing()};
  }

  /**
   * Embeds {@code queries} with the model's text tower.
   *
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

  /** Returns the query texts, in query-index order. */
  public List<String> texts() {
    return List.of(texts);
  }

  /** Returns the query embeddings, {@code [Q, D]}. */
  public EmbeddingMatrix embeddings() {
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(texts.length, dimension, rows.clone()));
  }

  /** Returns the identity of the image tower whose embeddings these queries search. */
  public TowerIdentity imageTower() {
    return new TowerIdentity(imageTower[0], imageTower[1], imageTower[2]);
  }
}
