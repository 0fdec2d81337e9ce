package dev.lit4j.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the images, and the caption drawn for each image, as a pure
 * function of {@code (seed, epoch)}: a seeded Fisher–Yates shuffle, then one caption per image
 * drawn uniformly from its captions (big_vision and open_clip likewise sample one caption per image
 * per pass).
 *
 * <p>Because the plan is recomputed from the seed and the epoch number, a resumed run needs only
 * the epoch and the position within it to continue exactly where it stopped.
 *
 * <p>Immutable and thread-safe.
 */
public final class EpochPlan {
  private final TrainingPairs data;
  private final int[] order;
  private final int[] captionChoice;

  private EpochPlan(TrainingPairs data, int[] order, int[] captionChoice) {
    this.data = data;
    this.order = order;
    this.captionChoice = captionChoice;
  }

  /**
   * Computes the plan of epoch {@code epoch} (0-based) for {@code data}.
   *
   * @param seed the run's seed
   * @param epoch the epoch, 0-based
   * @param data the training pairs, in memory or streamed; only their sizes and caption counts are
   *     read here (the plan holds two ints per image, not the data)
   * @return the order of images and the caption drawn for each
   * @throws IllegalArgumentException if {@code epoch < 0}
   */
  public static EpochPlan of(long seed, int epoch, TrainingPairs data) {
    Objects.requireNonNull(data, "data");
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    // One independent stream per epoch: SplittableRandom's seed mixing (SplitMix64) makes seeds
    // that
    // differ in a few bits produce unrelated sequences.
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] choice = new int[n];
    for (int i = 0; i < n; i++) {
      choice[i] = rng.nextInt(data.captionCount(i));
    }
    return new EpochPlan(data, order, choice);
  }

  /**
   * {@return the number of full batches of {@code batchSize} in the epoch (the rest is dropped)}
   *
   * @param batchSize images per batch
   */
  public int batchCount(int batchSize) {
    return data.size() / batchSize;
  }

  /**
   * {@return batch {@code index} of size {@code batchSize}: image indices and one caption each}
   *
   * @param index the batch, 0-based
   * @param batchSize images per batch
   * @throws IndexOutOfBoundsException if the batch is not a full batch of this epoch
   */
  public Batch batch(int index, int batchSize) {
    Objects.checkIndex(index, batchCount(batchSize));
    int[] images = new int[batchSize];
    List<String> captions = new ArrayList<>(batchSize);
    for (int k = 0; k < batchSize; k++) {
      int image = order[index * batchSize + k];
      images[k] = image;
      captions.add(data.caption(image, captionChoice[image]));
    }
    return new Batch(images, captions);
  }

  /**
   * One training batch.
   *
   * @param imageIndices the rows of the image embedding matrix, in batch order
   * @param captions the caption paired with each image, in the same order
   */
  public record Batch(int[] imageIndices, List<String> captions) {
    /**
     * @param imageIndices the rows of the image embedding matrix, in batch order
     * @param captions the caption paired with each image, in the same order
     * @throws IllegalArgumentException if the sizes differ
     */
    public Batch {
      imageIndices = imageIndices.clone();
      captions = List.copyOf(captions);
      if (imageIndices.length != captions.size()) {
        throw new IllegalArgumentException(
            imageIndices.length + " images but " + captions.size() + " captions in a batch");
      }
    }

    /** {@return a copy of the image indices} */
    @Override
    public int[] imageIndices() {
      return imageIndices.clone();
    }

    /** {@return the batch size} */
    public int size() {
      return imageIndices.length;
    }
  }
}
