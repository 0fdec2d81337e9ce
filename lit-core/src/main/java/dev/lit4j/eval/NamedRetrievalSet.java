package dev.lit4j.eval;

import dev.lit4j.training.PairedEmbeddings;
import java.util.Objects;

/**
 * Held-out image–caption pairs for retrieval, named so that reports can say what was retrieved.
 *
 * @param name a short identifier: a letter, then letters, digits, {@code -} or {@code _}
 * @param pairs the image embeddings and their captions
 */
public record NamedRetrievalSet(String name, PairedEmbeddings pairs) {
  /** The name given by the factories of {@link EvaluationData} that take unnamed pairs. */
  public static final String DEFAULT_NAME = "retrieval";

  /**
   * @param name a short identifier: a letter, then letters, digits, {@code -} or {@code _}
   * @param pairs the image embeddings and their captions
   * @throws IllegalArgumentException if the name is not an identifier as documented (it is named)
   */
  public NamedRetrievalSet {
    NamedZeroShotSet.checkName(name);
    Objects.requireNonNull(pairs, "pairs");
  }
}
