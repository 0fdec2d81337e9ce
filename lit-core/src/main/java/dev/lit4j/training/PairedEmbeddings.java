package dev.lit4j.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import java.util.List;
import java.util.Objects;

/**
 * Training data for LiT-tuning: pre-computed image embeddings and, for each image, one or more
 * captions.
 *
 * @param images the locked image tower's embeddings, shape {@code [N, D]}
 * @param captions {@code captions.get(i)} are the captions of image {@code i}; each list non-empty
 */
public record PairedEmbeddings(EmbeddingMatrix images, List<List<String>> captions) {
  /**
   * @throws IllegalArgumentException if the counts differ, or an image has no caption or a blank
   *     one (the image index is named)
   */
  public PairedEmbeddings {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(captions, "captions");
    if (images.size() != captions.size()) {
      throw new IllegalArgumentException(
          "image and caption counts differ: "
              + images.size()
              + " image embeddings, "
              + captions.size()
              + " caption lists");
    }
    List<List<String>> copy = new java.util.ArrayList<>(captions.size());
    for (int i = 0; i < captions.size(); i++) {
      List<String> c = Objects.requireNonNull(captions.get(i), "captions[" + i + "]");
      if (c.isEmpty()) {
        throw new IllegalArgumentException("image " + i + " has no caption");
      }
      for (int j = 0; j < c.size(); j++) {
        String s = Objects.requireNonNull(c.get(j), "captions[" + i + "][" + j + "]");
        if (s.isBlank()) {
          throw new IllegalArgumentException(
              "caption " + j + " of image " + i + " is blank; remove it or give it text");
        }
      }
      copy.add(List.copyOf(c));
    }
    captions = List.copyOf(copy);
  }

  /** Returns the number of images. */
  public int size() {
    return images.size();
  }
}
