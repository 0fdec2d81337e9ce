package dev.lit4j.training;

import dev.lit4j.model.TowerIdentity;
import java.util.Optional;

/**
 * What a {@link ContrastiveTrainer} reads: {@code N} images, each an L2-normalised embedding of
 * dimension {@code D} from a locked image tower, with one or more captions each, addressed by image
 * index {@code 0 … N-1}. A trainer reads one batch at a time by index, so an implementation need
 * not hold the data on the heap.
 *
 * <p>Two implementations: {@link PairedEmbeddings}, everything in memory, and {@link StoredPairs},
 * images read from a memory-mapped {@link dev.lit4j.store.EmbeddingStore} and captions from the
 * captions file through an on-disk index, with heap use independent of {@code N}. Both give the
 * same training for the same data and seed ({@link EpochPlan} sees only this interface).
 *
 * <p>Implementations are safe for concurrent reads (a trainer reads the next batch on a background
 * thread while the current step runs).
 */
public interface TrainingPairs {
  /** {@return N, the number of images} */
  int size();

  /** {@return D, the dimension of the image embeddings} */
  int dimension();

  /**
   * {@return the identity of the image tower that computed the embeddings, or empty when unknown}
   */
  Optional<TowerIdentity> imageIdentity();

  /**
   * Copies the embeddings of images {@code images[0], images[1], …} into {@code out}, row-major
   * {@code [images.length, D]}, unit-norm float32.
   *
   * @param images image indices, each in {@code [0, size())}, any order, repeats allowed
   * @param out receives {@code images.length * D} values from index 0
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
   * @throws IllegalArgumentException if {@code out} is too short (both lengths are named)
   */
  void imageRows(int[] images, float[] out);

  /**
   * {@return how many captions image {@code image} has, at least 1}
   *
   * @param image the image index, in {@code [0, size())}
   * @throws IndexOutOfBoundsException if {@code image} is outside {@code [0, size())}
   */
  int captionCount(int image);

  /**
   * {@return caption {@code which} of image {@code image}, never blank}
   *
   * @param image the image index, in {@code [0, size())}
   * @param which the caption, in {@code [0, captionCount(image))}
   * @throws IndexOutOfBoundsException if either index is out of range
   */
  String caption(int image, int which);
}
