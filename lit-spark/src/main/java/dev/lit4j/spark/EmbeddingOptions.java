package dev.lit4j.spark;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.store.EmbeddingStoreBuilder;
import java.io.Serializable;
import java.util.Objects;

/**
 * How {@link EmbeddingJob} embeds images: which tower, how many images per tower call, and how
 * images are decoded (as {@link EmbeddingStoreBuilder}'s options of the same names).
 *
 * @param tower where executors get the locked image tower
 * @param batchSize images per {@code embedAll} call in a task (default {@value
 *     #DEFAULT_BATCH_SIZE}; a task holds up to two batches of decoded images, one decoded ahead)
 * @param minDecodedSide the smallest shorter side images are subsampled to while decoding (default
 *     {@link EmbeddingStoreBuilder#DEFAULT_MIN_DECODED_SIDE})
 * @param maxPixels images declaring more pixels are rejected as {@code TOO_LARGE} (default {@link
 *     ImageFiles#DEFAULT_MAX_PIXELS})
 */
public record EmbeddingOptions(TowerSource tower, int batchSize, int minDecodedSide, long maxPixels)
    implements Serializable {
  /** The default number of images per tower call. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /**
   * @throws IllegalArgumentException if a number is below 1 (the value is named)
   */
  public EmbeddingOptions {
    Objects.requireNonNull(tower, "tower");
    atLeastOne(batchSize, "batchSize");
    atLeastOne(minDecodedSide, "minDecodedSide");
    atLeastOne(maxPixels, "maxPixels");
  }

  /** Returns the defaults for {@code tower}. */
  public static EmbeddingOptions of(TowerSource tower) {
    return new EmbeddingOptions(
        tower,
        DEFAULT_BATCH_SIZE,
        EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE,
        ImageFiles.DEFAULT_MAX_PIXELS);
  }

  /** Returns these options with another batch size. */
  public EmbeddingOptions withBatchSize(int size) {
    return new EmbeddingOptions(tower, size, minDecodedSide, maxPixels);
  }

  /** Returns these options with another pixel limit. */
  public EmbeddingOptions withMaxPixels(long limit) {
    return new EmbeddingOptions(tower, batchSize, minDecodedSide, limit);
  }

  private static void atLeastOne(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
