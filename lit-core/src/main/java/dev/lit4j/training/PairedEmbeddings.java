package dev.lit4j.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Training data for LiT-tuning: pre-computed image embeddings, for each image one or more captions,
 * and, when known, the identity of the image tower that computed the embeddings.
 *
 * <p>The identity travels with the embeddings so that they cannot be trained into a model that
 * names another image tower: {@link #fromStore} takes it from the store, {@link
 * #whitened(WhitenedImageTower)} turns it into the whitened tower's, and a {@link
 * ContrastiveTrainer} refuses pairs whose identity differs from its image tower's. Pairs made in
 * memory without a store carry none ({@link Optional#empty()}), and trainers accept them on the
 * caller's word; a transformation of the images that is not one of the methods here ({@code new
 * PairedEmbeddings(f(images), captions)}) yields pairs without an identity, because only the caller
 * knows which tower {@code f} stands for ({@link #withImages} states it).
 *
 * <p>Everything is on the heap: {@code N × D} floats and every caption as a string. For stores too
 * large for that, train on a {@link StoredPairs} instead, which reads both from disk by index.
 * Immutable and thread-safe.
 *
 * @param images the locked image tower's embeddings, shape {@code [N, D]}
 * @param captions {@code captions.get(i)} are the captions of image {@code i}; each list non-empty
 * @param imageIdentity the identity of the image tower that computed {@code images}, or empty when
 *     unknown
 */
public record PairedEmbeddings(
    EmbeddingMatrix images, List<List<String>> captions, Optional<TowerIdentity> imageIdentity)
    implements TrainingPairs {
  /**
   * @param images the locked image tower's embeddings, shape {@code [N, D]}
   * @param captions {@code captions.get(i)} are the captions of image {@code i}; each list
   *     non-empty
   * @param imageIdentity the identity of the image tower that computed {@code images}, or empty
   *     when unknown
   * @throws IllegalArgumentException if the counts differ, or an image has no caption or a blank
   *     one (the image index is named)
   */
  public PairedEmbeddings {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(captions, "captions");
    Objects.requireNonNull(imageIdentity, "imageIdentity");
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
   * Pairs embeddings of an unknown image tower with captions: {@link #imageIdentity()} is empty.
   * Prefer {@link #fromStore}, which records the store's tower.
   *
   * @param images the image embeddings, {@code [N, D]}
   * @param captions the captions of each image, {@code captions.get(i)} for image {@code i}
   * @throws IllegalArgumentException as the canonical constructor
   */
  public PairedEmbeddings(EmbeddingMatrix images, List<List<String>> captions) {
    this(images, captions, Optional.empty());
  }

  /**
   * {@return these captions with other images that the caller states were computed by the tower
   * {@code identity} (for example the same images embedded by a tower the caller derived)}
   *
   * @param images the other images, one per caption list
   * @param identity the tower that computed them
   * @throws IllegalArgumentException if the image count differs from the caption count
   */
  public PairedEmbeddings withImages(EmbeddingMatrix images, TowerIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    return new PairedEmbeddings(images, captions, Optional.of(identity));
  }

  /**
   * {@return these images, with their identity, paired with other captions ({@code captions.get(i)}
   * for image {@code i})}
   *
   * @param captions the captions of each image
   * @throws IllegalArgumentException as the canonical constructor
   */
  public PairedEmbeddings withCaptions(List<List<String>> captions) {
    return new PairedEmbeddings(images, captions, imageIdentity);
  }

  /**
   * {@return these pairs in the space of {@code tower}: the images through {@link
   * WhitenedImageTower#whiten(EmbeddingMatrix)}, the same arithmetic the tower applies to images,
   * and the identity changed from the tower's {@linkplain WhitenedImageTower#innerIdentity() inner
   * tower's} to the whitened tower's own} Pairs without an identity stay without one: what they are
   * in is unknown before and after.
   *
   * @param tower the whitened tower whose inner tower computed these images
   * @throws IllegalArgumentException if these embeddings carry an identity other than the inner
   *     tower's (both are named), or their dimension is not the inner tower's
   */
  public PairedEmbeddings whitened(WhitenedImageTower tower) {
    Objects.requireNonNull(tower, "tower");
    if (imageIdentity.isEmpty()) {
      return new PairedEmbeddings(tower.whiten(images), captions);
    }
    TowerIdentity inner = tower.innerIdentity();
    if (!imageIdentity.get().equals(inner)) {
      throw new IllegalArgumentException(
          "these image embeddings were computed by tower "
              + imageIdentity.get().describe()
              + ", but the whitened tower's inner tower is "
              + inner.describe()
              + "; whiten embeddings of the inner tower only (open the store with"
              + " tower.innerIdentity()), or fit the whitening on a tower whose embeddings these"
              + " are");
    }
    return new PairedEmbeddings(tower.whiten(images), captions, Optional.of(tower.identity()));
  }

  /**
   * Pairs every image of an embedding store with its captions from a captions file (JSON Lines:
   * {@code {"id": "…", "caption": "…"}} or {@code {"id": "…", "captions": ["…", …]}}, an id may
   * repeat; other fields such as a manifest's {@code "path"} are ignored). Row {@code i} of the
   * result is row {@code i} of the store, and {@link #imageIdentity()} is the store's tower. All
   * rows and captions are read into memory; {@link StoredPairs#open} trains on the same data
   * without that copy.
   *
   * @param store an open, complete store
   * @param captionsFile the captions, JSON Lines
   * @return the pairs, with the store's tower as image identity
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
    return new PairedEmbeddings(store.all(), captions, Optional.of(store.identity()));
  }

  /** {@return the number of images} */
  @Override
  public int size() {
    return images.size();
  }

  /** {@return the dimension of the image embeddings} */
  @Override
  public int dimension() {
    return images.dimension();
  }

  /**
   * Copies the embeddings of images {@code images[0], images[1], …} into {@code out}, row-major.
   *
   * @param indices image indices, each in {@code [0, size())}
   * @param out receives {@code indices.length * D} values from index 0
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
   * @throws IllegalArgumentException if {@code out} is too short (both lengths are named)
   */
  @Override
  public void imageRows(int[] indices, float[] out) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(out, "out");
    int d = images.dimension();
    if (out.length < (long) indices.length * d) {
      throw new IllegalArgumentException(
          "out holds "
              + out.length
              + " values, "
              + indices.length
              + " rows need "
              + indices.length * d);
    }
    for (int k = 0; k < indices.length; k++) {
      Objects.checkIndex(indices[k], size());
      System.arraycopy(images.matrix().row(indices[k]), 0, out, k * d, d);
    }
  }

  /**
   * {@return the number of captions of image {@code image}}
   *
   * @param image the image index
   * @throws IndexOutOfBoundsException if {@code image} is outside {@code [0, size())}
   */
  @Override
  public int captionCount(int image) {
    return captions.get(image).size();
  }

  /**
   * {@return caption {@code which} of image {@code image}}
   *
   * @param image the image index
   * @param which the caption index
   * @throws IndexOutOfBoundsException if either index is out of range
   */
  @Override
  public String caption(int image, int which) {
    return captions.get(image).get(which);
  }
}
