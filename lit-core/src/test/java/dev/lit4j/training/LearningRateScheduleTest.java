package dev.lit4j.training;

import static dev.lit4j.testing.NumericAssertions.FLOAT64_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  /** Rates are computed in float64 with one cosine: agreement to rounding. */
  private static final double ATOL = 1e-15;

  private final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 100, 1000);

  @Test
  void rate_duringWarmup_risesLinearlyFromZero() {
    assertClose(0.0, schedule.rate(0), FLOAT64_RTOL, ATOL, "rate(0)");
    assertClose(1e-3 * 25 / 100, schedule.rate(25), FLOAT64_RTOL, ATOL, "rate(25)");
    assertClose(1e-3 * 99 / 100, schedule.rate(99), FLOAT64_RTOL, ATOL, "rate(99)");
  }

  @Test
  void rate_afterWarmup_followsCosineToZero() {
    assertClose(1e-3, schedule.rate(100), FLOAT64_RTOL, ATOL, "peak at end of warmup");
    assertClose(0.5e-3, schedule.rate(550), FLOAT64_RTOL, ATOL, "half way through the decay");
    double p = (700.0 - 100) / 900;
    assertClose(
        1e-3 * 0.5 * (1 + Math.cos(Math.PI * p)),
        schedule.rate(700),
        FLOAT64_RTOL,
        ATOL,
        "rate(700)");
    assertClose(0.0, schedule.rate(1000), FLOAT64_RTOL, ATOL, "zero at the end");
    assertClose(0.0, schedule.rate(5000), FLOAT64_RTOL, ATOL, "zero past the end");
  }

  @Test
  void rate_isMonotoneAroundThePeak() {
    for (int s = 1; s <= 100; s++) {
      assertTrue(schedule.rate(s) > schedule.rate(s - 1), "warmup rises at " + s);
    }
    for (int s = 101; s <= 1000; s++) {
      assertTrue(schedule.rate(s) < schedule.rate(s - 1), "decay falls at " + s);
    }
  }

  @Test
  void rate_withoutWarmup_startsAtPeak() {
    LearningRateSchedule s = new LearningRateSchedule(2e-3, 0, 10);
    assertClose(2e-3, s.rate(0), FLOAT64_RTOL, ATOL, "rate(0)");
  }

  @Test
  void rate_whenWholeRunIsWarmup_risesLinearly() {
    LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 10);
    assertClose(1e-3 * 9 / 10, s.rate(9), FLOAT64_RTOL, ATOL, "rate(9)");
  }

  @Test
  void constructor_withWarmupLongerThanRun_throwsNamingBoth() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 11, 10));
    assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10"), e.getMessage());
  }

  @Test
  void rate_withNegativeStep_throws() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> schedule.rate(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }
}
