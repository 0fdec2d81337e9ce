package dev.lit4j.retrieval;

import java.util.Arrays;
import java.util.Objects;

/**
 * Rank-based metrics of one retrieval direction over {@code queries} queries, computed from the
 * 1-based rank of the first correct item of each query.
 *
 * @param recallAt1 fraction of queries whose first correct item is ranked 1
 * @param recallAt5 fraction ranked within the top 5
 * @param recallAt10 fraction ranked within the top 10
 * @param meanRank mean of the ranks (1 is perfect)
 * @param medianRank median of the ranks; the mean of the two middle ranks for an even count
 * @param queries number of queries the metrics average over
 */
public record RankMetrics(
    double recallAt1,
    double recallAt5,
    double recallAt10,
    double meanRank,
    double medianRank,
    int queries) {

  /**
   * @param recallAt1 fraction of queries whose first correct item is ranked 1
   * @param recallAt5 fraction ranked within the top 5
   * @param recallAt10 fraction ranked within the top 10
   * @param meanRank mean of the ranks (1 is perfect)
   * @param medianRank median of the ranks; the mean of the two middle ranks for an even count
   * @param queries number of queries the metrics average over
   * @throws IllegalArgumentException if a recall is outside {@code [0, 1]}, a rank is below 1 or
   *     {@code queries < 1}
   */
  public RankMetrics {
    if (queries < 1) {
      throw new IllegalArgumentException("metrics need at least one query, got " + queries);
    }
    for (double r : new double[] {recallAt1, recallAt5, recallAt10}) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("recall must be in [0, 1], got " + r);
      }
    }
    if (!(meanRank >= 1) || !(medianRank >= 1)) {
      throw new IllegalArgumentException(
          "ranks are 1-based, got mean " + meanRank + ", median " + medianRank);
    }
  }

  /**
   * Computes the metrics from the 1-based rank of the first correct item of each query.
   *
   * @param ranks the 1-based rank of each query's first correct item
   * @return recall at 1, 5 and 10, mean and median rank
   * @throws IllegalArgumentException if {@code ranks} is empty or holds a rank below 1 (its index
   *     is named)
   */
  public static RankMetrics fromRanks(int[] ranks) {
    Objects.requireNonNull(ranks, "ranks");
    if (ranks.length == 0) {
      throw new IllegalArgumentException("metrics need at least one rank");
    }
    int at1 = 0;
    int at5 = 0;
    int at10 = 0;
    double sum = 0;
    for (int i = 0; i < ranks.length; i++) {
      int r = ranks[i];
      if (r < 1) {
        throw new IllegalArgumentException("rank " + i + " is " + r + "; ranks are 1-based");
      }
      at1 += r <= 1 ? 1 : 0;
      at5 += r <= 5 ? 1 : 0;
      at10 += r <= 10 ? 1 : 0;
      sum += r;
    }
    int[] sorted = ranks.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * ((double) sorted[n / 2 - 1] + sorted[n / 2]);
    return new RankMetrics(
        (double) at1 / n, (double) at5 / n, (double) at10 / n, sum / n, median, n);
  }
}
