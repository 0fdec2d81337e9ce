package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.eval.ClassificationDiagnostics;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.RetrievalSetMetrics;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.retrieval.RankMetrics;
import dev.lit4j.retrieval.RetrievalMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  @TempDir Path dir;

  private static StepMetrics step(int s, double loss) {
    return new StepMetrics(s, 0, loss, 10.000000123, -9.5, 1e-3 / 3, 0.7, 123.4);
  }

  private static ZeroShotSetMetrics zeroShot(String name, double top1) {
    return new ZeroShotSetMetrics(
        name,
        new ClassificationMetrics(top1, 0.5, 8),
        new ClassificationDiagnostics(0.2, 0.375, 1, 0.625, 4, 3, OptionalDouble.of(0.125)));
  }

  @Test
  void append_thenRead_roundTripsEveryValueExactly() throws Exception {
    Path file = dir.resolve("m.jsonl");
    double awkward = (double) (float) Math.PI / 7;
    try (MetricsLog log = MetricsLog.create(file)) {
      log.append(step(1, awkward));
      log.append(new EvaluationMetrics(1, List.of(zeroShot("zeroShot", 0.25)), Optional.empty()));
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

  @Test
  void append_withSeveralSets_keysEveryMetricBySetName() throws Exception {
    Path file = dir.resolve("m.jsonl");
    RetrievalMetrics recall =
        new RetrievalMetrics(
            new RankMetrics(0.1, 0.2, 0.3, 2, 1, 4), new RankMetrics(0.4, 0.5, 0.6, 2, 1, 4));
    try (MetricsLog log = MetricsLog.create(file)) {
      log.append(
          new EvaluationMetrics(
              3,
              List.of(zeroShot("tuxpaint", 0.25), zeroShot("fashion-mnist", 0.375)),
              Optional.of(new RetrievalSetMetrics("captions", recall))));
    }
    Map<String, Double> v = MetricsLog.read(file).evaluations().get(0).values();
    assertEquals(0.25, v.get("tuxpaintTop1"));
    assertEquals(0.375, v.get("fashion-mnistTop1"));
    assertEquals(0.5, v.get("fashion-mnistTop5"));
    assertEquals(0.2, v.get("tuxpaintBalancedTop1"));
    assertEquals(0.375, v.get("tuxpaintMostPredictedShare"));
    assertEquals(0.625, v.get("tuxpaintMajorityShare"));
    assertEquals(0.125, v.get("tuxpaintMeanClassCosine"));
    assertEquals(0.5, v.get("textToImageR5"));
    assertEquals(
        2 * 6 + 6, v.size(), "numbers only; the retrieval set's name is not a value: " + v);
    assertTrue(Files.readString(file).contains("\"retrievalSet\":\"captions\""));
  }

  @Test
  void read_withALineOfAnEarlierVersion_readsItsKeys() throws Exception {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(
        file,
        "{\"type\":\"eval\",\"step\":4,\"zeroShotTop1\":0.5,\"zeroShotTop5\":0.75,"
            + "\"imageToTextR1\":0.125}\n");
    MetricsLog.EvaluationPoint p = MetricsLog.read(file).evaluations().get(0);
    assertEquals(4, p.step());
    assertEquals(
        Map.of("zeroShotTop1", 0.5, "zeroShotTop5", 0.75, "imageToTextR1", 0.125), p.values());
  }
}
