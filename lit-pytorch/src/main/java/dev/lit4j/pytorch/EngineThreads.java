package dev.lit4j.pytorch;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import dev.lit4j.pytorch.internal.EngineStart;
import java.util.Locale;

/**
 * The number of CPU threads libtorch uses in this process: intra-op threads (one operation, such as
 * a matrix product, split over cores) and inter-op threads (independent operations run
 * concurrently; eager training barely uses them). One setting controls both, from any of:
 *
 * <ol>
 *   <li>{@link #set(Counts)} in the application, before anything uses the PyTorch engine;
 *   <li>the system property {@value #PROPERTY}, {@code N} (both pools) or {@code INTRA,INTER}, e.g.
 *       {@code java -Dlit4j.threads=1 …}, applied when lit4j first uses the engine;
 *   <li>lit-cli's {@code --threads} option, which calls {@link #set(Counts)}.
 * </ol>
 *
 * <p>Without any of them lit4j uses {@link #DEFAULT}, chosen by measuring training throughput on a
 * shared two-core machine (see {@code docs/BENCHMARKS.md}), unless the environment already decides:
 * with {@code OMP_NUM_THREADS} set, libtorch's intra-op count follows it, and DJL's own properties
 * {@code ai.djl.pytorch.num_threads} / {@code ai.djl.pytorch.num_interop_threads} are respected.
 *
 * <p>The setting is process-wide and fixed once the engine has started: libtorch refuses to change
 * its inter-op pool after that, and an intra-op change would not reach threads that already ran
 * libtorch work. So {@link #set(Counts)} after the engine started with other counts throws {@link
 * IllegalStateException} rather than half-applying them.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   EngineThreads.set(EngineThreads.Counts.of(1));   // first, before any model is loaded
 *   try (LitModel model = ...) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class EngineThreads {
  /** The system property that sets both counts: {@code N} or {@code INTRA,INTER}. */
  public static final String PROPERTY = "lit4j.threads";

  /**
   * lit4j's default: one intra-op and one inter-op thread. Measured on a two-core machine shared
   * with other processes, a single libtorch thread trained fastest: two OpenMP threads wait on each
   * other at every element-wise operation whenever the other core is busy.
   */
  public static final Counts DEFAULT = new Counts(1, 1);

  private static final String ENGINE = "PyTorch";

  private EngineThreads() {}

  /**
   * Thread counts for libtorch's two CPU pools.
   *
   * @param intraOp threads that one operation is split over, at least 1
   * @param interOp threads that run independent operations concurrently, at least 1
   */
  public record Counts(int intraOp, int interOp) {
    /**
     * Validates the counts.
     *
     * @param intraOp threads that one operation is split over, at least 1
     * @param interOp threads that run independent operations concurrently, at least 1
     * @throws IllegalArgumentException if a count is below 1
     */
    public Counts {
      if (intraOp < 1 || interOp < 1) {
        throw new IllegalArgumentException(
            "libtorch thread counts must be >= 1, got intra-op = "
                + intraOp
                + ", inter-op = "
                + interOp);
      }
    }

    /**
     * {@return {@code threads} intra-op and {@code threads} inter-op threads}
     *
     * @param threads the count for both pools, at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Counts of(int threads) {
      return new Counts(threads, threads);
    }

    /**
     * Parses {@code N} (both pools) or {@code INTRA,INTER}, as {@value #PROPERTY} and lit-cli's
     * {@code --threads} take them.
     *
     * @param text the setting
     * @return the counts
     * @throws IllegalArgumentException if {@code text} is not one or two comma-separated positive
     *     integers
     */
    public static Counts parse(String text) {
      String[] parts = text.trim().split("\\s*,\\s*", -1);
      try {
        if (parts.length == 1) {
          return of(Integer.parseInt(parts[0]));
        }
        if (parts.length == 2) {
          return new Counts(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "libtorch threads '"
              + text
              + "' is not N (both pools) or INTRA,INTER with positive integers, e.g. 1 or 2,1");
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d intra-op, %d inter-op", intraOp, interOp);
    }
  }

  /**
   * Sets libtorch's thread counts for this process and starts the PyTorch engine with them.
   *
   * @param counts the counts
   * @return the counts in effect (equal to {@code counts})
   * @throws IllegalStateException if the engine already started with other counts; the message
   *     names both and how to set them in time
   */
  public static synchronized Counts set(Counts counts) {
    EngineStart.setStartupCounts(counts);
    Counts now = query();
    if (!now.equals(counts)) {
      throw new IllegalStateException(
          "cannot set libtorch to "
              + counts
              + " threads: the PyTorch engine already started with "
              + now
              + ", and libtorch fixes its thread pools at start; set the threads before anything"
              + " uses the engine (EngineThreads.set first in main, -D"
              + PROPERTY
              + "=… on the command line, or lit-cli's --threads)");
    }
    return now;
  }

  /**
   * {@return the counts libtorch uses now} Starts the PyTorch engine if nothing has yet, with the
   * configured counts.
   *
   * @throws IllegalArgumentException if {@value #PROPERTY} is malformed
   * @throws IllegalStateException if {@value #PROPERTY} is set but the engine already started with
   *     other counts
   */
  public static Counts current() {
    EngineStart.applyThreads();
    return query();
  }

  private static Counts query() {
    try {
      Engine.getEngine(ENGINE);
      return new Counts(JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    } catch (EngineException e) {
      throw new IllegalStateException("the PyTorch engine could not start: " + e.getMessage(), e);
    }
  }
}
