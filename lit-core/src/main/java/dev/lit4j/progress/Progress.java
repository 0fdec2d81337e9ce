package dev.lit4j.progress;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a job's progress. Immutable and thread-safe.
 *
 * <p>The rate counts only the work done since the tracker started ({@code done - doneAtStart}), so
 * a resumed job does not report the earlier run's work as instantaneous.
 *
 * @param task what is being done, e.g. {@code "embedding"}
 * @param unit what is counted, plural, e.g. {@code "images"}
 * @param done units done so far, including {@code doneAtStart}
 * @param total units in the whole job
 * @param doneAtStart units that were already done when the tracker started (a resumed job)
 * @param elapsed time since the tracker started
 * @param metrics extra numbers to show, in order
 */
public record Progress(
    String task,
    String unit,
    long done,
    long total,
    long doneAtStart,
    Duration elapsed,
    List<ProgressMetric> metrics) {

  /**
   * @param task what is being done, e.g. {@code "embedding"}
   * @param unit what is counted, plural, e.g. {@code "images"}
   * @param done units done so far, including {@code doneAtStart}
   * @param total units in the whole job
   * @param doneAtStart units that were already done when the tracker started (a resumed job)
   * @param elapsed time since the tracker started
   * @param metrics extra numbers to show, in order
   * @throws IllegalArgumentException unless {@code 0 ≤ doneAtStart ≤ done ≤ total} and {@code
   *     elapsed} is not negative
   */
  public Progress {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(elapsed, "elapsed");
    metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
    if (doneAtStart < 0 || done < doneAtStart || done > total) {
      throw new IllegalArgumentException(
          "progress must satisfy 0 <= doneAtStart <= done <= total, got doneAtStart = "
              + doneAtStart
              + ", done = "
              + done
              + ", total = "
              + total);
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed time must not be negative, got " + elapsed);
    }
  }

  /** {@return {@code done / total}, or 1 for an empty job} */
  public double fraction() {
    return total == 0 ? 1.0 : (double) done / total;
  }

  /** {@return the units per second since the tracker started, or 0 before any time has passed} */
  public double ratePerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? (done - doneAtStart) / seconds : 0.0;
  }

  /**
   * {@return the estimated time to finish at the current rate, or empty while the rate is unknown
   * (no work or no time yet)}
   */
  public Optional<Duration> eta() {
    double rate = ratePerSecond();
    if (done == total) {
      return Optional.of(Duration.ZERO);
    }
    if (rate <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round((total - done) / rate * 1e9)));
  }
}
