package dev.lit4j.spark;

/**
 * What an embedding job did.
 *
 * @param embedded rows written to the embeddings output
 * @param rejected rows written to the error output
 * @param seconds wall time from reading the manifest to the last write
 */
public record EmbeddingSummary(long embedded, long rejected, double seconds) {
  /**
   * {@return manifest rows handled (embedded plus rejected) per second of wall time; 0 if no time
   * was measured}
   */
  public double imagesPerSecond() {
    return seconds > 0 ? (embedded + rejected) / seconds : 0;
  }
}
