package dev.lit4j.examples;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.eval.ClassificationDiagnostics;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.examples.LitTuning.Evaluations;
import dev.lit4j.examples.LitTuning.Result;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.retrieval.RankMetrics;
import dev.lit4j.retrieval.RetrievalMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The main job's results over one or more seeds: the table it prints and the {@code results.json}
 * it writes for scripts. Every "after" number is the mean over the seeds, with the sample standard
 * deviation beside it.
 *
 * <p>Immutable.
 */
final class ResultsReport {
  private final List<Result> results;

  private ResultsReport(List<Result> results) {
    this.results = List.copyOf(results);
  }

  /**
   * @throws IllegalArgumentException if {@code results} is empty
   */
  static ResultsReport of(List<Result> results) {
    Objects.requireNonNull(results, "results");
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no result to report; run at least one seed");
    }
    return new ResultsReport(results);
  }

  /** One zero-shot set's line items. */
  private static List<Row> zeroShotRows(String set, Result first) {
    ZeroShotSetMetrics m = first.after().heldOut().zeroShot(set);
    double chance = m.diagnostics().chance();
    double probe = first.linearProbes().get(set).mean();
    return List.of(
        new Row(set, "top-1", heldOut(set, z -> z.accuracy().top1()), chance, probe),
        new Row(
            set,
            "balanced top-1",
            heldOut(set, z -> z.diagnostics().balancedTop1()),
            chance,
            Double.NaN),
        new Row(
            set,
            "top-5",
            heldOut(set, z -> z.accuracy().top5()),
            Math.min(1, 5 * chance),
            Double.NaN),
        new Row(
            set,
            "most-predicted share",
            heldOut(set, z -> z.diagnostics().mostPredictedShare()),
            chance,
            Double.NaN));
  }

  private static ToDoubleFunction<Evaluations> heldOut(
      String set, ToDoubleFunction<ZeroShotSetMetrics> metric) {
    return e -> metric.applyAsDouble(e.heldOut().zeroShot(set));
  }

  private static List<Row> retrievalRows(String set, Function<Evaluations, EvaluationMetrics> of) {
    List<Row> rows = new ArrayList<>();
    for (String direction : List.of("image->text", "text->image")) {
      Function<RetrievalMetrics, RankMetrics> pick =
          direction.startsWith("image")
              ? RetrievalMetrics::imageToText
              : RetrievalMetrics::textToImage;
      rows.add(
          new Row(set, direction + " R@1", e -> recall(of, e, pick, 1), Double.NaN, Double.NaN));
      rows.add(
          new Row(set, direction + " R@5", e -> recall(of, e, pick, 5), Double.NaN, Double.NaN));
      rows.add(
          new Row(set, direction + " R@10", e -> recall(of, e, pick, 10), Double.NaN, Double.NaN));
    }
    return rows;
  }

  private static double recall(
      Function<Evaluations, EvaluationMetrics> of,
      Evaluations e,
      Function<RetrievalMetrics, RankMetrics> pick,
      int k) {
    RankMetrics r = pick.apply(of.apply(e).retrievalSet().orElseThrow().recall());
    return k == 1 ? r.recallAt1() : k == 5 ? r.recallAt5() : r.recallAt10();
  }

  private List<Row> rows() {
    Result first = results.get(0);
    List<Row> rows = new ArrayList<>();
    rows.addAll(zeroShotRows(LitTuning.TUX_PAINT, first));
    rows.addAll(zeroShotRows(LitTuning.FASHION_MNIST, first));
    rows.addAll(retrievalRows(LitTuning.TUX_PAINT, Evaluations::heldOut));
    rows.add(
        new Row(
            LitTuning.VALIDATION,
            "top-1",
            e -> e.validation().zeroShot(LitTuning.VALIDATION).accuracy().top1(),
            first.after().validation().zeroShot(LitTuning.VALIDATION).diagnostics().chance(),
            Double.NaN));
    rows.add(
        new Row(
            LitTuning.VALIDATION,
            "image->text R@10",
            e -> recall(Evaluations::validation, e, RetrievalMetrics::imageToText, 10),
            Double.NaN,
            Double.NaN));
    return rows;
  }

  /** Prints the table. */
  void print(PrintStream out) {
    Result first = results.get(0);
    out.printf(
        "LiT-tuned on %d training pairs (%s) in %d steps, %d seed(s), %.0f s per run%n",
        first.trainingPairs(),
        String.join(
            " + ", first.options().recipe().sources().stream().map(Enum::name).sorted().toList()),
        first.training().steps(),
        results.size(),
        results.stream().mapToDouble(Result::seconds).average().orElse(0));
    double majorityTux =
        first.after().heldOut().zeroShot(LitTuning.TUX_PAINT).diagnostics().majorityShare();
    out.printf(
        "held out: Tux Paint stamps (15 categories; the most frequent holds %.3f) and Fashion-MNIST"
            + " (10 balanced classes); validation: %d images%n",
        majorityTux, first.validationImages());
    out.printf(
        "  %-14s %-24s %8s %17s %8s %8s%n", "set", "metric", "before", "after", "chance", "probe");
    for (Row row : rows()) {
      Stat after = row.after(results);
      out.printf(
          "  %-14s %-24s %8.3f %9.3f ± %5.3f %8s %8s%n",
          row.set(),
          row.metric(),
          row.before(results).mean(),
          after.mean(),
          after.sd(),
          fmt(row.chance()),
          fmt(row.probe()));
    }
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "" : String.format("%.3f", v);
  }

  /**
   * Writes the numbers as JSON, atomically: per set and metric the mean and standard deviation
   * after training, each seed's value, the value before training, chance and the linear probe.
   *
   * @throws IOException if the file cannot be written
   */
  void writeJson(Path file) throws IOException {
    JsonObject root = new JsonObject();
    Result first = results.get(0);
    JsonArray seeds = new JsonArray();
    results.forEach(r -> seeds.add(r.options().seed()));
    root.add("seeds", seeds);
    root.addProperty("recipe", first.options().recipe().toString());
    root.addProperty("trainingPairs", first.trainingPairs());
    root.addProperty("validationImages", first.validationImages());
    root.addProperty("steps", first.training().steps());
    root.addProperty(
        "secondsPerRun", results.stream().mapToDouble(Result::seconds).average().orElse(0));
    JsonObject sets = new JsonObject();
    for (Row row : rows()) {
      JsonObject set = sets.has(row.set()) ? sets.getAsJsonObject(row.set()) : new JsonObject();
      JsonObject m = new JsonObject();
      Stat after = row.after(results);
      m.addProperty("mean", after.mean());
      m.addProperty("sd", after.sd());
      JsonArray each = new JsonArray();
      after.values().forEach(each::add);
      m.add("perSeed", each);
      m.addProperty("before", row.before(results).mean());
      if (!Double.isNaN(row.chance())) {
        m.addProperty("chance", row.chance());
      }
      if (!Double.isNaN(row.probe())) {
        m.addProperty("linearProbe", row.probe());
      }
      set.add(row.metric(), m);
      sets.add(row.set(), set);
    }
    for (String name : List.of(LitTuning.TUX_PAINT, LitTuning.FASHION_MNIST)) {
      ZeroShotSetMetrics z = first.after().heldOut().zeroShot(name);
      JsonObject set = sets.getAsJsonObject(name);
      set.addProperty("chance", z.diagnostics().chance());
      set.addProperty("majorityShare", z.diagnostics().majorityShare());
      z.diagnostics().meanClassCosine().ifPresent(c -> set.addProperty("meanClassCosine", c));
      set.addProperty("linearProbe", first.linearProbes().get(name).mean());
      set.addProperty("linearProbeSd", first.linearProbes().get(name).standardDeviation());
      set.addProperty("images", z.accuracy().count());
    }
    root.add("sets", sets);
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.writeString(
        file,
        new GsonBuilder()
                .setPrettyPrinting()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(root)
            + "\n");
  }

  /**
   * Draws the held-out zero-shot top-1 and balanced top-1 of each set before and after training
   * (mean over seeds, error bar one standard deviation) beside chance, the majority-class share and
   * the linear probe, as a PNG, atomically.
   *
   * @throws IOException if the file cannot be written
   */
  void writeChart(Path file) throws IOException {
    Result first = results.get(0);
    List<String> categories = new ArrayList<>();
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    List<Double> afterSd = new ArrayList<>();
    List<Double> chance = new ArrayList<>();
    List<Double> majority = new ArrayList<>();
    List<Double> probe = new ArrayList<>();
    for (String set : List.of(LitTuning.TUX_PAINT, LitTuning.FASHION_MNIST)) {
      ClassificationDiagnostics d = first.after().heldOut().zeroShot(set).diagnostics();
      for (Row row : zeroShotRows(set, first).subList(0, 2)) {
        categories.add(set + " " + row.metric());
        before.add(row.before(results).mean());
        Stat a = row.after(results);
        after.add(a.mean());
        afterSd.add(a.sd());
        chance.add(d.chance());
        majority.add(row.metric().equals("top-1") ? d.majorityShare() : d.chance());
        probe.add(first.linearProbes().get(set).mean());
      }
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1100)
            .height(450)
            .title("Held-out zero-shot accuracy, " + results.size() + " seed(s)")
            .yAxisTitle("accuracy")
            .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendPosition(LegendPosition.OutsideE);
    chart.addSeries("before LiT-tuning", categories, before);
    chart.addSeries("after (mean ± sd)", categories, after, afterSd);
    chart.addSeries("chance", categories, chance);
    chart.addSeries("majority class (top-1) / chance", categories, majority);
    chart.addSeries("linear probe with labels (top-1)", categories, probe);
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG));
  }

  /** One line of the table: a metric of one set, extracted from an evaluation. */
  private record Row(
      String set, String metric, ToDoubleFunction<Evaluations> value, double chance, double probe) {
    Stat after(List<Result> results) {
      return Stat.of(results.stream().mapToDouble(r -> value.applyAsDouble(r.after())).toArray());
    }

    Stat before(List<Result> results) {
      return Stat.of(results.stream().mapToDouble(r -> value.applyAsDouble(r.before())).toArray());
    }
  }

  /** Mean and sample standard deviation (0 for one value) of per-seed values. */
  private record Stat(double mean, double sd, List<Double> values) {
    static Stat of(double[] v) {
      double mean = 0;
      for (double x : v) {
        mean += x / v.length;
      }
      double ss = 0;
      for (double x : v) {
        ss += (x - mean) * (x - mean);
      }
      double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
      List<Double> list = new ArrayList<>();
      for (double x : v) {
        list.add(x);
      }
      return new Stat(mean, sd, list);
    }
  }
}
