package dev.lit4j.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
    List<List<String>> copy = new ArrayList<>(captions.size());
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

  /**
   * Pairs every image of an embedding store with its captions from a captions file (JSON Lines:
   * {@code {"id": "…", "caption": "…"}} or {@code {"id": "…", "captions": ["…", …]}}, an id may
   * repeat; other fields such as a manifest's {@code "path"} are ignored). Row {@code i} of the
   * result is row {@code i} of the store. All rows are read into memory.
   *
   * @throws IllegalArgumentException if a store image has no caption, a caption names an id the
   *     store does not hold, a caption is blank, or a line is malformed (ids, file and line are
   *     named)
   * @throws IOException if the captions file cannot be read
   */
  public static PairedEmbeddings fromStore(EmbeddingStore store, Path captionsFile)
      throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(captionsFile, "captionsFile");
    Map<String, List<String>> byId = CaptionsFile.read(captionsFile);
    List<String> ids = store.ids();
    Set<String> storeIds = new HashSet<>(ids);
    List<String> unknown = new ArrayList<>();
    for (String id : byId.keySet()) {
      if (!storeIds.contains(id)) {
        unknown.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          captionsFile
              + " has captions for "
              + unknown.size()
              + " id(s) the embedding store does not hold, e.g. "
              + unknown.subList(0, Math.min(5, unknown.size()))
              + "; the store has "
              + ids.size()
              + " images (rejected images have no embedding)");
    }
    List<List<String>> captions = new ArrayList<>(ids.size());
    List<String> uncaptioned = new ArrayList<>();
    for (String id : ids) {
      List<String> c = byId.get(id);
      if (c == null || c.isEmpty()) {
        uncaptioned.add(id);
      } else {
        captions.add(c);
      }
    }
    if (!uncaptioned.isEmpty()) {
      throw new IllegalArgumentException(
          uncaptioned.size()
              + " of the store's "
              + ids.size()
              + " images have no caption in "
              + captionsFile
              + ", e.g. "
              + uncaptioned.subList(0, Math.min(5, uncaptioned.size()))
              + "; add captions or rebuild the store without them");
    }
    return new PairedEmbeddings(store.all(), captions);
  }

  /** Returns the number of images. */
  public int size() {
    return images.size();
  }
}
