package dev.lit4j.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressBarTest {

  /** A clock the test moves by hand. */
  private static final class ManualClock implements InstantSource {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final ManualClock clock = new ManualClock();

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void render_showsBarPercentCountRateAndEta() {
    Progress p =
        new Progress("embedding", "images", 350, 1000, 0, Duration.ofSeconds(10), List.of());

    assertEquals(
        "embedding [#######-------------]  35.0% 350/1000 images | 35.0 images/s | ETA 0:19",
        ConsoleProgressBar.render(p, false));
  }

  @Test
  void render_finished_showsElapsedAndMetrics() {
    Progress p =
        new Progress(
            "training",
            "steps",
            500,
            500,
            0,
            Duration.ofSeconds(3725),
            List.of(new ProgressMetric("loss", 0.123456)));

    assertEquals(
        "training [####################] 100.0% 500/500 steps | 0.1 steps/s | 1:02:05 elapsed"
            + " | loss 0.1235",
        ConsoleProgressBar.render(p, true));
  }

  @Test
  void render_resumedJob_countsOnlyThisRunsWorkInTheRate() {
    Progress p =
        new Progress("embedding", "images", 600, 1000, 500, Duration.ofSeconds(4), List.of());

    assertEquals(25.0, p.ratePerSecond());
    assertEquals(Duration.ofSeconds(16), p.eta().orElseThrow());
  }

  @Test
  void render_beforeAnyTimePassed_showsUnknownEta() {
    Progress p = new Progress("embedding", "images", 0, 10, 0, Duration.ZERO, List.of());

    assertTrue(ConsoleProgressBar.render(p, false).endsWith("| ETA ?"));
  }

  @Test
  void updates_areThrottledByTheJobClock_andFinishAlwaysDraws() {
    ConsoleProgressBar bar = ConsoleProgressBar.to(out, Duration.ofMillis(250));
    ProgressTracker tracker = ProgressTracker.start("embedding", "images", 100, 0, bar, clock);

    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMillis(100));
      tracker.advance(10);
    }
    Progress last = tracker.finish();

    // Redraws at 100 ms (first), 400 ms, 700 ms and 1000 ms, then the final line.
    String text = output();
    assertEquals(5, text.chars().filter(c -> c == '\r').count(), text);
    assertTrue(text.contains("10/100 images"), text);
    assertTrue(text.contains("40/100 images"), text);
    assertTrue(text.contains("70/100 images"), text);
    assertTrue(
        text.endsWith("100/100 images | 100.0 images/s | 0:01 elapsed" + System.lineSeparator()),
        text);
    assertEquals(Duration.ofSeconds(1), last.elapsed());
  }

  @Test
  void aSecondJobOnTheSameBar_drawsItsFirstUpdateAtOnce() {
    // Regression: the bar throttled by the previous job's clock, so the trainer's steps stayed
    // hidden for as long as its caption encoding had taken.
    ConsoleProgressBar bar = ConsoleProgressBar.to(out, Duration.ofMillis(250));
    ProgressTracker first = ProgressTracker.start("encoding", "captions", 10, 0, bar, clock);
    clock.advance(Duration.ofSeconds(30));
    first.advance(10);
    first.finish();
    ProgressTracker second = ProgressTracker.start("training", "steps", 10, 0, bar, clock);

    clock.advance(Duration.ofMillis(100));
    second.advance(1);

    assertTrue(output().endsWith("1/10 steps | 10.0 steps/s | ETA 0:01"), output());
  }

  @Test
  void shorterLine_padsOverThePreviousOne() {
    ConsoleProgressBar bar = ConsoleProgressBar.to(out, Duration.ZERO);
    ProgressTracker tracker = ProgressTracker.start("t", "u", 10, 0, bar, clock);
    clock.advance(Duration.ofSeconds(1));
    tracker.advance(1, List.of(new ProgressMetric("a-long-metric-name", 1.0)));
    int firstLength = output().length() - 1;
    clock.advance(Duration.ofSeconds(1));
    tracker.advance(1, List.of());

    String second = output().substring(firstLength + 1);
    assertEquals(firstLength, second.length() - 1, "second draw: '" + second + "'");
  }

  @Test
  void finish_isIdempotentAndAdvanceAfterFinishThrows() {
    ProgressTracker tracker =
        ProgressTracker.start("t", "u", 10, 0, ConsoleProgressBar.to(out), clock);
    Progress first = tracker.finish();
    clock.advance(Duration.ofSeconds(5));

    assertEquals(first, tracker.finish());
    assertEquals(1, output().chars().filter(c -> c == '\n').count());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tracker.advance(1));
    assertTrue(e.getMessage().contains("finished"), e.getMessage());
  }

  @Test
  void advance_pastTheTotal_throwsNamingTheCounts() {
    ProgressTracker tracker = ProgressTracker.start("t", "images", 10, ProgressListener.silent());
    tracker.advance(8);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tracker.advance(3));

    assertTrue(
        e.getMessage().contains("by 3") && e.getMessage().contains("8 of 10"), e.getMessage());
  }

  @Test
  void progress_withDoneBeyondTotal_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Progress("t", "u", 11, 10, 0, Duration.ZERO, List.of()));

    assertTrue(e.getMessage().contains("done = 11"), e.getMessage());
  }

  @Test
  void clock_formatsMinutesAndHours() {
    assertEquals("0:00", ConsoleProgressBar.clock(Duration.ZERO));
    assertEquals("1:05", ConsoleProgressBar.clock(Duration.ofSeconds(65)));
    assertEquals("2:00:00", ConsoleProgressBar.clock(Duration.ofHours(2)));
  }
}
