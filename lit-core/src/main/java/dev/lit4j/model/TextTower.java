package dev.lit4j.model;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import java.util.List;
import java.util.Objects;

/**
 * A text encoder mapping a string to an L2-normalised embedding in the image tower's space. In LiT
 * this is the tower that is trained; training happens through a backend's {@link
 * dev.lit4j.training.ContrastiveTrainer}, so this interface only embeds.
 *
 * <p>Implementations state their thread-safety; those holding native memory must be closed.
 */
public interface TextTower extends AutoCloseable {

  /** {@return the embedding dimension {@code D}} */
  int dimension();

  /** {@return the identity of this tower} */
  TowerIdentity identity();

  /**
   * Embeds one text. Empty and whitespace-only texts are valid; over-long texts are truncated.
   *
   * @param text the text to embed
   * @return the unit-norm embedding, of dimension {@link #dimension()}; by default row 0 of {@link
   *     #embedAll} of the one text, so an implementation only overrides this when it has a cheaper
   *     single-text path
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalStateException if the tower is closed
   */
  default Embedding embed(String text) {
    Objects.requireNonNull(text, "text");
    return embedAll(List.of(text)).get(0);
  }

  /**
   * Embeds several texts in batches with bounded memory; row {@code i} belongs to {@code texts[i]}.
   *
   * @param texts one or more texts
   * @return unit-norm embeddings, {@code [texts.size(), dimension()]}
   * @throws IllegalArgumentException if the list is empty or holds {@code null} (the index is
   *     named)
   * @throws IllegalStateException if the tower is closed
   */
  EmbeddingMatrix embedAll(List<String> texts);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
