package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.eval.ClassificationDiagnostics;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.CrossValidatedAccuracy;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.RetrievalSetMetrics;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.loss.LossKind;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.training.RawImageTrainingResult;
import dev.lit4j.retrieval.RankMetrics;
import dev.lit4j.retrieval.RetrievalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ComparisonReport} on made-up results of seven arms and two seeds; no engine. */
class ComparisonReportTest {
  @TempDir Path dir;

  private static ZeroShotSetMetrics zeroShot(String name, double top1, int classes) {
    return new ZeroShotSetMetrics(
        name,
        new ClassificationMetrics(top1, 1.0, 100),
        new ClassificationDiagnostics(top1, 0.5, 0, 0.5, classes, classes, OptionalDouble.empty()));
  }

  private static ArmResult result(Arm arm, long seed, double top1) {
    RankMetrics rank = new RankMetrics(0.1, 0.2, 0.3, 10, 8, 50);
    EvaluationMetrics m =
        new EvaluationMetrics(
            5,
            List.of(
                zeroShot(LitTuning.TUX_PAINT, top1, 15),
                zeroShot(LitTuning.FASHION_MNIST, top1 / 2, 10)),
            Optional.of(
                new RetrievalSetMetrics(LitTuning.TUX_PAINT, new RetrievalMetrics(rank, rank))));
    TowerIdentity id = new TowerIdentity("x", "c", "p");
    return new ArmResult(
        arm,
        seed,
        m,
        new RawImageTrainingResult(1, List.of(1.0), new ScoreCalibration(LossKind.SOFTMAX, 10, 0)),
        id,
        id,
        2,
        3);
  }

  private static PaperComparison.Result comparison(Path dir) {
    List<Arm> arms = PaperComparison.Options.defaultArms(112);
    PaperComparison.Options options =
        new PaperComparison.Options(dir, List.of(0L, 1L), 5, 16, 3e-4, 10, arms);
    List<RunNumbers> runs = new ArrayList<>();
    for (Arm arm : arms) {
      runs.add(ComparisonReport.numbers(result(arm, 0, 0.2)));
      runs.add(ComparisonReport.numbers(result(arm, 1, 0.4)));
    }
    CrossValidatedAccuracy probe =
        new CrossValidatedAccuracy(0.6, List.of(0.5, 0.7), 0.1, 15, 1e-2);
    List<PaperComparison.Baseline> baselines =
        List.of(
            new PaperComparison.Baseline(
                LitTuning.TUX_PAINT, 15, 1 / 15.0, 5 / 15.0, 0.2, 0.6, probe),
            new PaperComparison.Baseline(LitTuning.FASHION_MNIST, 10, 0.1, 0.5, 0.1, 0.5, probe));
    return new PaperComparison.Result(options, runs, baselines, 50, 1000, 60);
  }

  @Test
  void table_hasOneRowPerArmWithMeanAndSd_thenTheThreeBaselines() {
    String table = ComparisonReport.table(comparison(dir));
    List<String> rows = table.lines().filter(l -> l.startsWith("| ")).toList();
    // Header, seven arms, chance, majority, probe.
    assertEquals(11, rows.size(), table);
    assertTrue(rows.get(1).startsWith("| LU | LU 112px"), rows.get(1));
    assertTrue(rows.get(7).startsWith("| LU | LU 224px"), rows.get(7));
    // Tux Paint top-1 over the two seeds 0.2 and 0.4: mean 0.3, sd 0.141.
    assertTrue(rows.get(1).contains("| 0.300 ± 0.141 |"), rows.get(1));
    assertTrue(
        rows.get(8).startsWith("| chance |") && rows.get(8).contains("| 0.020 |"), rows.get(8));
    assertTrue(rows.get(10).contains("0.600 ± 0.100"), rows.get(10));
    // 14 runs of 3 s wall time each.
    assertTrue(
        table.contains("the arms' wall times add up to 42 s"), table.lines().findFirst().get());
    int columns = rows.get(0).split("\\|", -1).length;
    rows.forEach(r -> assertEquals(columns, r.split("\\|", -1).length, r));
  }

  @Test
  void writeChart_writesAPng() throws IOException {
    Path png = dir.resolve("comparison.png");
    ComparisonReport.writeChart(comparison(dir), png);
    assertTrue(Files.size(png) > 0);
    // The scores chart and the time chart side by side.
    assertEquals(1300 + 520, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void appendRun_writesTheSettingsAndHeaderOnce_andReadRunsGivesTheRunsBack() throws IOException {
    Path log = dir.resolve("runs.tsv");
    Arm arm = Arm.grid(112).get(2);
    Arm reference = Arm.reference(Arm.ImageSetting.LOCKED);
    RunNumbers first = ComparisonReport.numbers(result(arm, 0, 0.25));
    RunNumbers second = ComparisonReport.numbers(result(reference, 1, 0.5));
    assertEquals(List.of(), ComparisonReport.readRuns(log, "steps 5"), "no log yet: no runs");
    ComparisonReport.appendRun(first, "steps 5", log);
    ComparisonReport.appendRun(second, "steps 5", log);
    List<String> lines = Files.readAllLines(log);
    assertEquals(4, lines.size(), lines.toString());
    assertEquals("# steps 5", lines.get(0));
    assertTrue(lines.get(1).startsWith("arm\tresolution\tseed\tTux Paint top-1"), lines.get(1));
    assertTrue(lines.get(2).startsWith("UU\t112\t0\t0.250000\t"), lines.get(2));
    assertTrue(lines.get(3).startsWith("LU\t224\t1\t0.500000\t"), lines.get(3));
    assertEquals(lines.get(1).split("\t").length, lines.get(3).split("\t").length);

    List<RunNumbers> back = ComparisonReport.readRuns(log, "steps 5");
    assertEquals(List.of(first, second), back, "the values survive %.6g exactly here");
    assertTrue(back.get(1).isRunOf(reference, 1));
  }

  @Test
  void readRuns_ofALogWithOtherSettingsOrABadLine_failsNamingBothAndTheFix() throws IOException {
    Path log = dir.resolve("runs.tsv");
    ComparisonReport.appendRun(
        ComparisonReport.numbers(result(Arm.grid(112).get(0), 0, 0.25)), "steps 5", log);
    IllegalArgumentException other =
        assertThrows(
            IllegalArgumentException.class, () -> ComparisonReport.readRuns(log, "steps 9"));
    assertTrue(
        other.getMessage().contains("made with 'steps 5', this comparison runs with 'steps 9'")
            && other.getMessage().contains("give another --out"),
        other.getMessage());
    Files.writeString(log, "XX\t112\t0\n", java.nio.file.StandardOpenOption.APPEND);
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> ComparisonReport.readRuns(log, "steps 5"));
    assertTrue(bad.getMessage().contains("line 4 has 3 fields"), bad.getMessage());
  }
}
