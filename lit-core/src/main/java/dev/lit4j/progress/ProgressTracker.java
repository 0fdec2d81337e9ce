package dev.lit4j.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * Counts a job's work against a clock and tells a {@link ProgressListener}.
 *
 * <pre>{@code
 * ProgressTracker tracker = ProgressTracker.start("embedding", "images", n, listener);
 * for (...) {
 *   ...
 *   tracker.advance(batch);
 * }
 * tracker.finish();
 * }</pre>
 *
 * <p>Thread-safe: methods are synchronized, so several workers may advance one tracker.
 */
public final class ProgressTracker {
  private final String task;
  private final String unit;
  private final long total;
  private final long doneAtStart;
  private final ProgressListener listener;
  private final InstantSource clock;
  private final Instant started;
  private long done;
  private List<ProgressMetric> metrics = List.of();
  private Progress finalProgress;

  private ProgressTracker(
      String task,
      String unit,
      long total,
      long doneAtStart,
      ProgressListener listener,
      InstantSource clock) {
    this.task = Objects.requireNonNull(task, "task");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (total < 0 || doneAtStart < 0 || doneAtStart > total) {
      throw new IllegalArgumentException(
          "need 0 <= alreadyDone <= total, got alreadyDone = "
              + doneAtStart
              + ", total = "
              + total);
    }
    this.total = total;
    this.doneAtStart = doneAtStart;
    this.done = doneAtStart;
    this.started = clock.instant();
  }

  /**
   * Starts tracking a fresh job on the system clock.
   *
   * @param task what is being done, e.g. {@code "embedding"}
   * @param unit what is counted, plural, e.g. {@code "images"}
   * @param total units in the whole job
   * @param listener who is told
   * @return the tracker; call {@link #finish()} when the job ends
   * @throws IllegalArgumentException if {@code total < 0}
   */
  public static ProgressTracker start(
      String task, String unit, long total, ProgressListener listener) {
    return start(task, unit, total, 0, listener, InstantSource.system());
  }

  /**
   * Starts tracking a job of which {@code alreadyDone} units were done before (a resumed job), on
   * the given clock.
   *
   * @param task what is being done, e.g. {@code "embedding"}
   * @param unit what is counted, plural, e.g. {@code "images"}
   * @param total units in the whole job
   * @param alreadyDone units done before this tracker started
   * @param listener who is told
   * @param clock the time source of rates and estimates
   * @return the tracker; call {@link #finish()} when the job ends
   * @throws IllegalArgumentException unless {@code 0 ≤ alreadyDone ≤ total}
   */
  public static ProgressTracker start(
      String task,
      String unit,
      long total,
      long alreadyDone,
      ProgressListener listener,
      InstantSource clock) {
    return new ProgressTracker(task, unit, total, alreadyDone, listener, clock);
  }

  /**
   * Records {@code units} more units of work.
   *
   * @param units the units just done, {@code >= 0}
   * @throws IllegalArgumentException if {@code units < 0} or the total would be exceeded
   * @throws IllegalStateException if {@link #finish()} was called
   */
  public synchronized void advance(long units) {
    advance(units, metrics);
  }

  /**
   * Records {@code units} more units of work and replaces the metrics shown.
   *
   * @param units the units just done, {@code >= 0}
   * @param newMetrics the metrics to show from now on
   * @throws IllegalArgumentException if {@code units < 0} or the total would be exceeded
   * @throws IllegalStateException if {@link #finish()} was called
   */
  public synchronized void advance(long units, List<ProgressMetric> newMetrics) {
    Objects.requireNonNull(newMetrics, "newMetrics");
    if (finalProgress != null) {
      throw new IllegalStateException("progress tracker for '" + task + "' is finished");
    }
    if (units < 0 || units > total - done) {
      throw new IllegalArgumentException(
          "cannot advance by "
              + units
              + ": "
              + done
              + " of "
              + total
              + " "
              + unit
              + " are done already");
    }
    done += units;
    metrics = List.copyOf(newMetrics);
    listener.onUpdate(snapshot());
  }

  /** {@return the current progress} */
  public synchronized Progress snapshot() {
    Duration elapsed = Duration.between(started, clock.instant());
    return new Progress(
        task,
        unit,
        done,
        total,
        doneAtStart,
        elapsed.isNegative() ? Duration.ZERO : elapsed,
        metrics);
  }

  /**
   * Ends the job and tells the listener once; later calls return the same final state without
   * telling it again.
   *
   * @return the final progress
   */
  public synchronized Progress finish() {
    if (finalProgress == null) {
      finalProgress = snapshot();
      listener.onFinish(finalProgress);
    }
    return finalProgress;
  }
}
