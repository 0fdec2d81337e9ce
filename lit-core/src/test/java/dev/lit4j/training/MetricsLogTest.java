package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.eval.ClassificationMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir Path dir;

  private static StepMetrics step(int s, double loss) {
    return new StepMetrics(s, 0, loss, 10.000000123, -9.5, 1e-3 / 3, 0.7, 123.4);
  }

  @Test
  void append_thenRead_roundTripsEveryValueExactly() throws Exception {
    Path file = dir.resolve("m.jsonl");
    double awkward = (double) (float) Math.PI / 7;
    try (MetricsLog log = MetricsLog.create(file)) {
      log.append(step(1, awkward));
      log.append(
          new EvaluationMetrics(
              1, Optional.of(new ClassificationMetrics(0.25, 0.5, 8)), Optional.empty()));
    }
    MetricsLog.Entries e = MetricsLog.read(file);
    assertEquals(List.of(step(1, awkward)), e.steps());
    assertEquals(0.25, e.evaluations().get(0).values().get("zeroShotTop1"));
    assertEquals(1, e.evaluations().get(0).step());
  }

  @Test
  void resume_dropsEntriesAfterTheCheckpointStep() throws Exception {
    Path file = dir.resolve("m.jsonl");
    try (MetricsLog log = MetricsLog.create(file)) {
      for (int s = 1; s <= 5; s++) {
        log.append(step(s, s));
      }
    }
    try (MetricsLog log = MetricsLog.resume(file, 3)) {
      log.append(step(4, 40));
    }
    List<StepMetrics> steps = MetricsLog.read(file).steps();
    assertEquals(List.of(step(1, 1), step(2, 2), step(3, 3), step(4, 40)), steps);
  }

  @Test
  void read_withStepLineLackingFields_namesTheLine() throws Exception {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"type\":\"step\",\"step\":1}\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void append_afterClose_throws() throws Exception {
    MetricsLog log = MetricsLog.create(dir.resolve("m.jsonl"));
    log.close();
    log.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> log.append(step(1, 1)));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void read_withGarbageLine_namesTheLine() throws Exception {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"type\":\"eval\",\"step\":1}\nnot json\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.read(file));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
