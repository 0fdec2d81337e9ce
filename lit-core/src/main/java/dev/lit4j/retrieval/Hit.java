package dev.lit4j.retrieval;

/**
 * One search result.
 *
 * @param index the gallery row of the hit
 * @param score its cosine similarity with the query, in {@code [-1, 1]} up to float32 rounding
 */
public record Hit(int index, double score) {
  /**
   * @param index the gallery row of the hit
   * @param score its cosine similarity with the query, in {@code [-1, 1]} up to float32 rounding
   * @throws IllegalArgumentException if {@code index} is negative or {@code score} is not finite
   */
  public Hit {
    if (index < 0) {
      throw new IllegalArgumentException("hit index must be >= 0, got " + index);
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("hit score must be finite, got " + score);
    }
  }
}
