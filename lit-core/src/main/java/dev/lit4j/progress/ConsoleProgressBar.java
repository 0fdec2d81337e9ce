package dev.lit4j.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A one-line console progress bar: {@code embedding [#######-------------] 35.0% 350/1000 images |
 * 41.2 images/s | ETA 0:15 | loss 0.4212}.
 *
 * <p>Updates rewrite the line with a carriage return and are throttled by the job's own clock (at
 * most one per {@code minInterval}, 250 ms by default, i.e. four per second); {@link #onFinish}
 * always writes the final state, with the elapsed time instead of the ETA, and ends the line. One
 * bar may show several jobs in turn (a trainer encodes captions, then trains): each job's first
 * update is drawn at once. Examples write to {@code System.err} so the bar never mixes with a
 * program's output.
 *
 * <p>Thread-safe: methods are synchronized.
 */
public final class ConsoleProgressBar implements ProgressListener {
  /** The default minimum time between two redraws: four updates per second. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(250);

  private static final int BAR_WIDTH = 20;

  private final PrintStream out;
  private final Duration minInterval;
  private Duration lastDrawn;
  private int lastLength;

  private ConsoleProgressBar(PrintStream out, Duration minInterval) {
    this.out = Objects.requireNonNull(out, "out");
    this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
    if (minInterval.isNegative()) {
      throw new IllegalArgumentException("minInterval must not be negative, got " + minInterval);
    }
  }

  /**
   * {@return a bar writing to {@code out}, redrawn at most four times per second}
   *
   * <pre>{@code
   * ProgressListener bar = ConsoleProgressBar.to(System.err);
   * }</pre>
   *
   * @param out where to draw, e.g. {@code System.err}
   */
  public static ConsoleProgressBar to(PrintStream out) {
    return new ConsoleProgressBar(out, DEFAULT_MIN_INTERVAL);
  }

  /**
   * {@return a bar writing to {@code out}, redrawn at most once per {@code minInterval}}
   *
   * @param out where to draw, e.g. {@code System.err}
   * @param minInterval the shortest time between two redraws
   * @throws IllegalArgumentException if {@code minInterval} is negative
   */
  public static ConsoleProgressBar to(PrintStream out, Duration minInterval) {
    return new ConsoleProgressBar(out, minInterval);
  }

  @Override
  public synchronized void onUpdate(Progress progress) {
    Objects.requireNonNull(progress, "progress");
    if (lastDrawn != null && progress.elapsed().minus(lastDrawn).compareTo(minInterval) < 0) {
      return;
    }
    lastDrawn = progress.elapsed();
    draw(render(progress, false), false);
  }

  @Override
  public synchronized void onFinish(Progress progress) {
    Objects.requireNonNull(progress, "progress");
    draw(render(progress, true), true);
    // The next job on this bar starts its own clock at zero: draw its first update at once.
    lastDrawn = null;
  }

  private void draw(String line, boolean last) {
    // Pad with spaces so a shorter line fully covers the previous one.
    String padded = line + " ".repeat(Math.max(0, lastLength - line.length()));
    out.print('\r' + padded + (last ? System.lineSeparator() : ""));
    out.flush();
    lastLength = last ? 0 : line.length();
  }

  /**
   * Renders one line (without the carriage return).
   *
   * @param progress what to show
   * @param finished show the elapsed time instead of the ETA
   */
  static String render(Progress progress, boolean finished) {
    StringBuilder sb = new StringBuilder(progress.task()).append(" [");
    int filled = (int) Math.floor(progress.fraction() * BAR_WIDTH);
    sb.append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
    sb.append(String.format(Locale.ROOT, "%5.1f%% ", 100 * progress.fraction()));
    sb.append(progress.done()).append('/').append(progress.total()).append(' ');
    sb.append(progress.unit());
    sb.append(
        String.format(Locale.ROOT, " | %.1f %s/s", progress.ratePerSecond(), progress.unit()));
    if (finished) {
      sb.append(" | ").append(clock(progress.elapsed())).append(" elapsed");
    } else {
      sb.append(" | ETA ").append(progress.eta().map(ConsoleProgressBar::clock).orElse("?"));
    }
    for (ProgressMetric metric : progress.metrics()) {
      sb.append(" | ").append(metric.name()).append(' ');
      sb.append(String.format(Locale.ROOT, "%.4g", metric.value()));
    }
    return sb.toString();
  }

  /** Formats a duration as {@code m:ss} or {@code h:mm:ss}, rounded to whole seconds. */
  static String clock(Duration d) {
    long s = Math.round(d.toMillis() / 1000.0);
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
        : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }
}
