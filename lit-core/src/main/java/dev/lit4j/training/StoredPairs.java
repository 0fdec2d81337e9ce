package dev.lit4j.training;

import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Training pairs read from disk by index: image embeddings from a memory-mapped {@link
 * EmbeddingStore} ({@link EmbeddingStore#gather}, float16 or float32), captions from a captions
 * file (the format of {@link PairedEmbeddings#fromStore}) through an index of where each row's
 * captions are in it. Heap use does not grow with the number of rows: a trainer holds one or two
 * batches, and {@link EpochPlan} two ints per row.
 *
 * <pre>{@code
 * try (EmbeddingStore store = EmbeddingStore.open(Path.of("store"), imageTower.identity());
 *     StoredPairs pairs = StoredPairs.open(store, Path.of("captions.jsonl"))) {
 *   trainer.train(pairs);
 * }
 * }</pre>
 *
 * <p>The caption index is the file {@code <captions file>.lit4j-index} beside the captions file.
 * {@link #open} builds it when it is absent, or stale: when the captions file's size or
 * modification time, or the store (its source digest, size, dimension or tower), differ from what
 * the index records. Building reads the store's ids and the captions file (twice) once and needs
 * about 30 bytes of heap per store row for the duration (about 600 MB at 20 million rows); opening
 * an up-to-date index needs none. A captions file that changes while the pairs are open makes
 * {@link #caption} throw {@link IllegalStateException} (or read another caption of the same line,
 * if the lines kept their places); open the pairs again.
 *
 * <p>Image {@code i} is row {@code i} of the store and {@link #imageIdentity()} is the store's
 * tower, as for {@link PairedEmbeddings#fromStore}, which this class gives the same training as
 * (same rows, same captions in the same order, so the same {@link EpochPlan} for a seed).
 *
 * <p>Thread-safe: reads may run concurrently. Borrows the store (closing these pairs does not close
 * it) and owns the open captions file and index; {@link #close()} is idempotent, later reads throw
 * {@link IllegalStateException}.
 */
public final class StoredPairs implements TrainingPairs, AutoCloseable {
  private final EmbeddingStore store;
  private final CaptionIndex captions;

  private StoredPairs(EmbeddingStore store, CaptionIndex captions) {
    this.store = store;
    this.captions = captions;
  }

  /**
   * Pairs every row of {@code store} with its captions in {@code captionsFile}, building the
   * caption index if it is absent or stale.
   *
   * @param store an open, complete store; borrowed, not closed by the pairs
   * @param captionsFile the captions, JSON Lines; its directory must be writable when the index is
   *     (re)built
   * @return the pairs; the caller closes them before the store
   * @throws IllegalArgumentException if a store image has no caption, a caption names an id the
   *     store does not hold, a caption is blank, or a line is malformed (ids, file and line are
   *     named)
   * @throws IOException if a file cannot be read or written, or the index is corrupt (the file and
   *     the fix are named)
   */
  public static StoredPairs open(EmbeddingStore store, Path captionsFile) throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(captionsFile, "captionsFile");
    return new StoredPairs(store, CaptionIndex.open(store, captionsFile));
  }

  /** {@return the caption index file these pairs read} */
  public Path captionIndexFile() {
    return captions.file();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public int dimension() {
    return store.dimension();
  }

  /** {@return the store's tower, always present} */
  @Override
  public Optional<TowerIdentity> imageIdentity() {
    return Optional.of(store.identity());
  }

  /**
   * Copies the embeddings of images {@code images[0], images[1], …} from the store into {@code
   * out}, row-major {@code [images.length, D]}, normalised as {@link EmbeddingStore#rows} returns
   * them.
   *
   * @param images image indices, each in {@code [0, size())}
   * @param out receives {@code images.length * D} values from index 0
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
   * @throws IllegalArgumentException if {@code out} is too short (both lengths are named)
   */
  @Override
  public void imageRows(int[] images, float[] out) {
    store.gather(images, out);
  }

  /**
   * {@return the number of captions of image {@code image}}
   *
   * @param image the image index
   * @throws IndexOutOfBoundsException if {@code image} is outside {@code [0, size())}
   * @throws IllegalStateException if the pairs are closed
   */
  @Override
  public int captionCount(int image) {
    return captions.count(image);
  }

  /**
   * {@return caption {@code which} of image {@code image}, read from the captions file}
   *
   * @param image the image index
   * @param which the caption index
   * @throws IndexOutOfBoundsException if either index is out of range
   * @throws IllegalStateException if the pairs are closed, or the captions file changed since they
   *     were opened (both files are named)
   * @throws java.io.UncheckedIOException if the captions file cannot be read
   */
  @Override
  public String caption(int image, int which) {
    return captions.caption(image, which);
  }

  /** Closes the captions file and the index (not the store); idempotent. */
  @Override
  public void close() {
    captions.close();
  }
}
