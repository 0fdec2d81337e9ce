package dev.lit4j.spark;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.store.EmbeddingStoreBuilder;
import java.io.Serializable;
import java.util.Objects;

/**
 * How {@link EmbeddingJob} embeds images: which tower, how many images per tower call, and how
 * images are decoded (as {@link EmbeddingStoreBuilder}'s options of the same names).
 *
 * <p>Immutable and thread-safe; serialisable only to travel with a job's tasks to executors that
 * run the same lit-spark version, so its serialised form is not a stable format and is left out of
 * the serialised-form page.
 *
 * @param tower where executors get the locked image tower
 * @param batchSize images per {@code embedAll} call in a task (default {@value
 *     #DEFAULT_BATCH_SIZE}; a task holds up to two batches of decoded images, one decoded ahead)
 * @param minDecodedSide the smallest shorter side images are subsampled to while decoding (default
 *     {@link EmbeddingStoreBuilder#DEFAULT_MIN_DECODED_SIDE})
 * @param maxPixels images declaring more pixels are rejected as {@code TOO_LARGE} (default {@link
 *     ImageFiles#DEFAULT_MAX_PIXELS})
 * @serial exclude
 */
public record EmbeddingOptions(TowerSource tower, int batchSize, int minDecodedSide, long maxPixels)
    implements Serializable {
  /** The default number of images per tower call. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /**
   * Checks the options.
   *
   * @param tower where executors get the locked image tower
   * @param batchSize images per {@code embedAll} call in a task, at least 1
   * @param minDecodedSide the smallest shorter side, in pixels, images are subsampled to while
   *     decoding, at least 1
   * @param maxPixels the most pixels (width × height) an image may declare, at least 1
   * @throws NullPointerException if {@code tower} is null
   * @throws IllegalArgumentException if a number is below 1 (the value is named)
   */
  public EmbeddingOptions {
    Objects.requireNonNull(tower, "tower");
    atLeastOne(batchSize, "batchSize");
    atLeastOne(minDecodedSide, "minDecodedSide");
    atLeastOne(maxPixels, "maxPixels");
  }

  /**
   * Returns the default options for a tower.
   *
   * @param tower where executors get the locked image tower
   * @return {@code tower} with {@value #DEFAULT_BATCH_SIZE} images per call and the default
   *     decoding limits ({@link EmbeddingStoreBuilder#DEFAULT_MIN_DECODED_SIDE}, {@link
   *     ImageFiles#DEFAULT_MAX_PIXELS})
   * @throws NullPointerException if {@code tower} is null
   */
  public static EmbeddingOptions of(TowerSource tower) {
    return new EmbeddingOptions(
        tower,
        DEFAULT_BATCH_SIZE,
        EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE,
        ImageFiles.DEFAULT_MAX_PIXELS);
  }

  /**
   * Returns these options with another batch size.
   *
   * @param size images per {@code embedAll} call in a task, at least 1
   * @return new options; this value is unchanged
   * @throws IllegalArgumentException if {@code size} is below 1
   */
  public EmbeddingOptions withBatchSize(int size) {
    return new EmbeddingOptions(tower, size, minDecodedSide, maxPixels);
  }

  /**
   * Returns these options with another pixel limit.
   *
   * @param limit the most pixels (width × height) an image may declare before it is rejected as
   *     {@code TOO_LARGE}, at least 1
   * @return new options; this value is unchanged
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  public EmbeddingOptions withMaxPixels(long limit) {
    return new EmbeddingOptions(tower, batchSize, minDecodedSide, limit);
  }

  private static void atLeastOne(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
