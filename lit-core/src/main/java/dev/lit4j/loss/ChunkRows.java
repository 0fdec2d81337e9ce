package dev.lit4j.loss;

/** Validation of the chunk size shared by the chunked losses. */
final class ChunkRows {
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
}
