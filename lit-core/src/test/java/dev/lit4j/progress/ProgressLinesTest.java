package dev.lit4j.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class ProgressLinesTest {

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

  @Test
  void updates_printTheFirstAtOnceThenOnePerInterval_andTheFinalState_withoutCarriageReturns() {
    ProgressLines lines = ProgressLines.to(out, Duration.ofSeconds(10));
    ProgressTracker tracker = ProgressTracker.start("embedding", "images", 100, 0, lines, clock);

    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(3));
      tracker.advance(10);
    }
    tracker.finish();

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"), text);
    List<String> printed = text.lines().toList();
    // At 3 s (first), 15 s and 27 s (10 s apart), then the final line at 30 s.
    assertEquals(4, printed.size(), text);
    assertEquals(
        ConsoleProgressBar.render(
            new Progress("embedding", "images", 10, 100, 0, Duration.ofSeconds(3), List.of()),
            false),
        printed.get(0));
    assertEquals(
        "embedding [####################] 100.0% 100/100 images | 3.3 images/s | 0:30 elapsed",
        printed.get(3));
  }

  @Test
  void aSecondJob_printsItsFirstUpdateAtOnce() {
    ProgressLines lines = ProgressLines.to(out, Duration.ofSeconds(10));
    ProgressTracker first = ProgressTracker.start("encoding", "captions", 10, 0, lines, clock);
    clock.advance(Duration.ofSeconds(30));
    first.advance(10);
    first.finish();
    ProgressTracker second = ProgressTracker.start("training", "steps", 10, 0, lines, clock);

    clock.advance(Duration.ofSeconds(1));
    second.advance(1);

    List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(3, printed.size(), printed.toString());
    assertTrue(
        printed.get(2).startsWith("training [##------------------]  10.0% 1/10 steps"),
        printed.get(2));
  }

  @Test
  void to_withNegativeInterval_throws() {
    assertThrows(
        IllegalArgumentException.class, () -> ProgressLines.to(out, Duration.ofSeconds(-1)));
  }
}
