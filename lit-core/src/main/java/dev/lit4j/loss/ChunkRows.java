package dev.lit4j.loss;

/** The chunk size of the chunked losses: validation, the unchunked sentinel and its description. */
final class ChunkRows {
  /** The chunk size meaning "the whole {@code B × B} matrix in one chunk". */
  static final int UNCHUNKED = Integer.MAX_VALUE;

  private ChunkRows() {}

  static int check(int chunkRows) {
    if (chunkRows < 1) {
      throw new IllegalArgumentException(
          "chunkRows must be at least 1, got "
              + chunkRows
              + "; use of() for an unchunked loss or a positive row count");
    }
    return chunkRows;
  }

  /**
   * Describes a loss for {@code toString}: {@code Name[unchunked]} or {@code Name[chunkRows=n]}.
   */
  static String describe(String lossName, int chunkRows) {
    return chunkRows == UNCHUNKED
        ? lossName + "[unchunked]"
        : lossName + "[chunkRows=" + chunkRows + "]";
  }
}
