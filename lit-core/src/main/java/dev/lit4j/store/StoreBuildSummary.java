package dev.lit4j.store;

/**
 * What a call to {@link EmbeddingStoreBuilder#build()} did.
 *
 * @param total images listed in the manifest
 * @param embedded rows in the finished store (from this and any earlier, interrupted run)
 * @param rejected images recorded in {@code rejects.jsonl}
 * @param seconds wall time of this call
 * @param imagesPerSecond manifest entries handled by this call per second (0 for a call that found
 *     the store complete)
 */
public record StoreBuildSummary(
    long total, long embedded, long rejected, double seconds, double imagesPerSecond) {
  /**
   * @param total images listed in the manifest
   * @param embedded rows in the finished store (from this and any earlier, interrupted run)
   * @param rejected images recorded in {@code rejects.jsonl}
   * @param seconds wall time of this call
   * @param imagesPerSecond manifest entries handled by this call per second (0 for a call that
   *     found the store complete)
   * @throws IllegalArgumentException if a count or time is negative, or {@code embedded + rejected
   *     != total}
   */
  public StoreBuildSummary {
    if (total < 0 || embedded < 0 || rejected < 0 || embedded + rejected != total) {
      throw new IllegalArgumentException(
          "need embedded + rejected = total, all non-negative; got total = "
              + total
              + ", embedded = "
              + embedded
              + ", rejected = "
              + rejected);
    }
    if (!(seconds >= 0) || !(imagesPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "seconds and imagesPerSecond must be >= 0, got " + seconds + ", " + imagesPerSecond);
    }
  }
}
