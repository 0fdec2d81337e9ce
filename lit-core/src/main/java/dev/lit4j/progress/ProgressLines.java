package dev.lit4j.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Progress as plain, complete lines for logs and pipes: the same text as {@link
 * ConsoleProgressBar}, but each update is its own line ending in a line separator and never a
 * carriage return, so a log file or CI console shows one readable line per report instead of a
 * single line overwritten hundreds of times.
 *
 * <p>The first update is printed at once (a log shows that the job started), later ones at most
 * once per {@code interval} of the job's own clock (10 s by default), and {@link #onFinish} always
 * prints the final state with the elapsed time. Use {@link ConsoleProgressBar} when the stream is a
 * terminal and this class otherwise.
 *
 * <pre>{@code
 * ProgressListener progress =
 *     System.console() != null ? ConsoleProgressBar.to(System.err) : ProgressLines.to(System.err);
 * }</pre>
 *
 * <p>Thread-safe: methods are synchronized.
 */
public final class ProgressLines implements ProgressListener {
  /** The default minimum time between two lines. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final PrintStream out;
  private final Duration interval;
  private Duration lastPrinted;

  private ProgressLines(PrintStream out, Duration interval) {
    this.out = Objects.requireNonNull(out, "out");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative, got " + interval);
    }
  }

  /**
   * Returns a listener writing a line to {@code out} at most every ten seconds.
   *
   * @param out where the lines go, e.g. {@code System.err}; not closed
   * @return the listener
   */
  public static ProgressLines to(PrintStream out) {
    return new ProgressLines(out, DEFAULT_INTERVAL);
  }

  /**
   * Returns a listener writing a line to {@code out} at most once per {@code interval}.
   *
   * @param out where the lines go, e.g. {@code System.err}; not closed
   * @param interval the least time between two progress lines (the first and last always print)
   * @return the listener
   * @throws IllegalArgumentException if {@code interval} is negative
   */
  public static ProgressLines to(PrintStream out, Duration interval) {
    return new ProgressLines(out, interval);
  }

  @Override
  public synchronized void onUpdate(Progress progress) {
    Objects.requireNonNull(progress, "progress");
    if (lastPrinted != null && progress.elapsed().minus(lastPrinted).compareTo(interval) < 0) {
      return;
    }
    lastPrinted = progress.elapsed();
    out.println(ConsoleProgressBar.render(progress, false));
    out.flush();
  }

  @Override
  public synchronized void onFinish(Progress progress) {
    Objects.requireNonNull(progress, "progress");
    out.println(ConsoleProgressBar.render(progress, true));
    out.flush();
    // The next job reported here starts its own clock at zero: print its first update at once.
    lastPrinted = null;
  }
}
