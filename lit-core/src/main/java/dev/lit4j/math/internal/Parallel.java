package dev.lit4j.math.internal;

import java.util.stream.IntStream;

/**
 * Splits an index range into blocks and runs them on the common {@link
 * java.util.concurrent.ForkJoinPool} (through a parallel stream), or on the calling thread when
 * there is only one block. Callers give each block its own output region, so no block writes what
 * another reads; reductions go through per-block or per-row partial results that the caller sums in
 * a fixed order, which keeps results deterministic regardless of scheduling.
 */
public final class Parallel {

  /** Work on an index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    /**
     * Processes indices {@code [from, to)}.
     *
     * @param from the first index, inclusive
     * @param to the end index, exclusive
     */
    void run(int from, int to);
  }

  private Parallel() {}

  /**
   * Runs {@code task} over {@code [0, n)} in blocks of {@code blockSize} indices (the last one may
   * be shorter), in parallel on the common pool when the work is large enough to pay for it.
   *
   * @param n the number of indices, at least 0
   * @param blockSize indices per block, at least 1
   * @param workPerIndex a rough operation count per index; below about a million operations in
   *     total the range runs on the calling thread, where forking would cost more than it saves
   * @param task the work
   * @throws IllegalArgumentException if {@code blockSize < 1}
   */
  public static void forEachBlock(int n, int blockSize, long workPerIndex, RangeTask task) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
    }
    int blocks = (int) (((long) n + blockSize - 1) / blockSize);
    if (blocks <= 1 || (long) n * workPerIndex < SEQUENTIAL_WORK) {
      if (n > 0) {
        task.run(0, n);
      }
      return;
    }
    IntStream.range(0, blocks)
        .parallel()
        .forEach(b -> task.run(b * blockSize, Math.min(n, (b + 1) * blockSize)));
  }

  private static final long SEQUENTIAL_WORK = 1L << 20;
}
