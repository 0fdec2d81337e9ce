package dev.lit4j.eval;

import dev.lit4j.retrieval.RetrievalMetrics;
import java.util.Objects;

/**
 * The retrieval result on one named set.
 *
 * @param name the set's name, see {@link NamedRetrievalSet#name()}
 * @param recall Recall@K in both directions
 */
public record RetrievalSetMetrics(String name, RetrievalMetrics recall) {
  /**
   * @param name the set's name, see {@link NamedRetrievalSet#name()}
   * @param recall Recall@K in both directions
   * @throws IllegalArgumentException if the name is not an identifier (see {@link
   *     NamedRetrievalSet})
   */
  public RetrievalSetMetrics {
    NamedZeroShotSet.checkName(name);
    Objects.requireNonNull(recall, "recall");
  }
}
