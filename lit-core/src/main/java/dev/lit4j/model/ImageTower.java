package dev.lit4j.model;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * A pre-trained, <b>locked</b> image encoder (LiT, Zhai et al. 2022, §3): it maps an image to an
 * L2-normalised embedding and is never updated. Because it is locked, its embeddings can be
 * computed once and cached; training then never runs it.
 *
 * <p>There is deliberately no method that trains or exposes trainable parameters. Implementations
 * state their thread-safety; those holding native memory must be closed.
 */
public interface ImageTower extends AutoCloseable {

  /** {@return the embedding dimension {@code D}} */
  int dimension();

  /** {@return the identity of this tower (name, weights checksum, preprocessing)} */
  TowerIdentity identity();

  /**
   * Embeds one image.
   *
   * @param image any {@link BufferedImage}; alpha is composited on white, grey and palette images
   *     are converted to RGB, and the image is resized and cropped by the tower's preprocessing
   * @return the unit-norm embedding, of dimension {@link #dimension()}; by default row 0 of {@link
   *     #embedAll} of the one image, so an implementation only overrides this when it has a cheaper
   *     single-image path
   * @throws NullPointerException if {@code image} is null
   * @throws IllegalStateException if the tower is closed
   */
  default Embedding embed(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    return embedAll(List.of(image)).get(0);
  }

  /**
   * Embeds several images in batches; row {@code i} of the result belongs to {@code images[i]}.
   *
   * @param images one or more images, any size
   * @return unit-norm embeddings, {@code [images.size(), dimension()]}
   * @throws IllegalArgumentException if the list is empty or holds {@code null} (the index is
   *     named)
   * @throws IllegalStateException if the tower is closed
   */
  EmbeddingMatrix embedAll(List<BufferedImage> images);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
