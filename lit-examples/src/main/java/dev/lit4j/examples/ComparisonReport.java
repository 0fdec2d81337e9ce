package dev.lit4j.examples;

import dev.lit4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The table and chart of a {@link PaperComparison}: per arm the mean ± sd over seeds of each
 * metric, then chance, the majority class and the linear probe. Stateless and thread-safe.
 */
final class ComparisonReport {
  private ComparisonReport() {}

  /** One measured number of a run. */
  private record Metric(String name, ToDoubleFunction<ArmResult> read, boolean seconds) {}

  private static final List<Metric> METRICS =
      List.of(
          zeroShot("Tux Paint top-1", r -> r.top1(LitTuning.TUX_PAINT)),
          zeroShot("Tux Paint top-5", r -> r.top5(LitTuning.TUX_PAINT)),
          zeroShot("Fashion-MNIST top-1", r -> r.top1(LitTuning.FASHION_MNIST)),
          zeroShot("Fashion-MNIST top-5", r -> r.top5(LitTuning.FASHION_MNIST)),
          zeroShot("Tux Paint i→t R@1", r -> r.retrieval().imageToText().recallAt1()),
          zeroShot("i→t R@5", r -> r.retrieval().imageToText().recallAt5()),
          zeroShot("i→t R@10", r -> r.retrieval().imageToText().recallAt10()),
          zeroShot("t→i R@1", r -> r.retrieval().textToImage().recallAt1()),
          zeroShot("t→i R@5", r -> r.retrieval().textToImage().recallAt5()),
          zeroShot("t→i R@10", r -> r.retrieval().textToImage().recallAt10()),
          new Metric("training s", ArmResult::trainSeconds, true),
          new Metric("wall s", ArmResult::seconds, true));

  private static Metric zeroShot(String name, ToDoubleFunction<ArmResult> read) {
    return new Metric(name, read, false);
  }

  /** {@return the Markdown table, with a line stating what was run} */
  static String table(PaperComparison.Result result) {
    PaperComparison.Options o = result.options();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "LiT comparison: %d training images, %d steps, batch %d, learning rate %g, seeds %s;"
                + " mean ± sd over seeds; %.0f s in all.%n%n",
            result.trainingImages(),
            o.steps(),
            o.batchSize(),
            o.learningRate(),
            o.seeds(),
            result.seconds()));
    b.append("| arm | setting |");
    METRICS.forEach(m -> b.append(' ').append(m.name()).append(" |"));
    b.append('\n').append("|---|---|").append("---|".repeat(METRICS.size())).append('\n');
    for (Arm arm : o.arms()) {
      List<ArmResult> runs = result.runs(arm);
      b.append("| ").append(arm.code()).append(" | ").append(arm.describe()).append(" |");
      for (Metric m : METRICS) {
        DescriptiveStatistics s = stats(runs, m);
        String f = m.seconds() ? "%.0f" : "%.3f";
        b.append(' ').append(String.format(Locale.ROOT, f, s.getMean()));
        if (runs.size() > 1) {
          b.append(" ± ").append(String.format(Locale.ROOT, f, s.getStandardDeviation()));
        }
        b.append(" |");
      }
      b.append('\n');
    }
    PaperComparison.Baseline tux = baseline(result, LitTuning.TUX_PAINT);
    PaperComparison.Baseline fashion = baseline(result, LitTuning.FASHION_MNIST);
    int n = result.retrievalImages();
    b.append(
        baselineRow(
            "chance",
            "uniform guess",
            tux.chanceTop1(),
            tux.chanceTop5(),
            fashion.chanceTop1(),
            fashion.chanceTop5(),
            String.format(
                Locale.ROOT,
                " %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |",
                1.0 / n,
                5.0 / n,
                10.0 / n,
                1.0 / n,
                5.0 / n,
                10.0 / n)));
    b.append(
        baselineRow(
            "majority",
            "most frequent class(es)",
            tux.majorityTop1(),
            tux.majorityTop5(),
            fashion.majorityTop1(),
            fashion.majorityTop5(),
            " — |".repeat(6)));
    b.append(
        String.format(
            Locale.ROOT,
            "| probe | linear probe with labels, locked 224px features, %d-fold CV |"
                + " %.3f ± %.3f | — | %.3f ± %.3f | — |%s%n",
            tux.linearProbe().foldAccuracies().size(),
            tux.linearProbe().mean(),
            tux.linearProbe().standardDeviation(),
            fashion.linearProbe().mean(),
            fashion.linearProbe().standardDeviation(),
            " — |".repeat(8)));
    return b.toString();
  }

  private static String baselineRow(
      String name,
      String setting,
      double tux1,
      double tux5,
      double fashion1,
      double fashion5,
      String retrieval) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.3f | %.3f | %.3f | %.3f |%s — | — |%n",
        name,
        setting,
        tux1,
        tux5,
        fashion1,
        fashion5,
        retrieval);
  }

  private static PaperComparison.Baseline baseline(PaperComparison.Result result, String set) {
    return result.baselines().stream().filter(b -> b.set().equals(set)).findFirst().orElseThrow();
  }

  /**
   * Appends one run's numbers to a tab-separated log, writing the header first when the file is
   * new, so that the runs of a long comparison survive a failure before the table is written.
   *
   * @param run the run
   * @param file the log
   * @throws IOException if the file cannot be written
   */
  static void appendRun(ArmResult run, Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    if (!Files.exists(file)) {
      b.append("arm\tresolution\tseed");
      METRICS.forEach(m -> b.append('\t').append(m.name()));
      b.append('\n');
    }
    b.append(run.arm().code()).append('\t').append(run.arm().resolution());
    b.append('\t').append(run.seed());
    for (Metric m : METRICS) {
      b.append('\t').append(String.format(Locale.ROOT, "%.6g", m.read().applyAsDouble(run)));
    }
    b.append('\n');
    Files.writeString(
        file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Writes {@link #table} to {@code file} atomically.
   *
   * @throws IOException if the file cannot be written
   */
  static void writeTable(PaperComparison.Result result, Path file) throws IOException {
    AtomicFiles.writeString(file, table(result));
  }

  /**
   * Writes a grouped bar chart of held-out zero-shot top-1 and top-5 and Tux Paint i→t R@10 per arm
   * (mean over seeds), with chance, majority class and the linear probe as the last groups (bars
   * they do not have are left out).
   *
   * @throws IOException if the file cannot be written
   */
  static void writeChart(PaperComparison.Result result, Path file) throws IOException {
    PaperComparison.Options o = result.options();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1200)
            .height(500)
            .title(
                String.format(
                    Locale.ROOT,
                    "LiT comparison, %d steps of batch %d (mean over seeds %s)",
                    o.steps(),
                    o.batchSize(),
                    o.seeds()))
            .xAxisTitle("arm (image, text: L locked, U pre-trained, u scratch)")
            .yAxisTitle("held-out score")
            .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    List<String> categories = new ArrayList<>();
    for (Arm arm : o.arms()) {
      categories.add(arm.code() + " " + arm.resolution());
    }
    categories.addAll(List.of("chance", "majority", "probe"));
    PaperComparison.Baseline tux = baseline(result, LitTuning.TUX_PAINT);
    PaperComparison.Baseline fashion = baseline(result, LitTuning.FASHION_MNIST);
    double n = result.retrievalImages();
    addSeries(
        chart,
        result,
        categories,
        METRICS.get(0),
        tux.chanceTop1(),
        tux.majorityTop1(),
        tux.linearProbe().mean());
    addSeries(chart, result, categories, METRICS.get(1), tux.chanceTop5(), tux.majorityTop5(), 0);
    addSeries(
        chart,
        result,
        categories,
        METRICS.get(2),
        fashion.chanceTop1(),
        fashion.majorityTop1(),
        fashion.linearProbe().mean());
    addSeries(
        chart, result, categories, METRICS.get(3), fashion.chanceTop5(), fashion.majorityTop5(), 0);
    addSeries(chart, result, categories, METRICS.get(6), 10 / n, 0, 0);
    AtomicFiles.write(
        file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /** One series: the arms' means, then the three baselines (0 where one does not apply). */
  private static void addSeries(
      CategoryChart chart,
      PaperComparison.Result result,
      List<String> categories,
      Metric metric,
      double chance,
      double majority,
      double probe) {
    List<Double> y = new ArrayList<>();
    for (Arm arm : result.options().arms()) {
      y.add(stats(result.runs(arm), metric).getMean());
    }
    y.addAll(List.of(chance, majority, probe));
    String name = metric.name().startsWith("i→t") ? "Tux Paint i→t R@10" : metric.name();
    chart.addSeries(name, categories, y);
  }

  private static DescriptiveStatistics stats(List<ArmResult> runs, Metric metric) {
    DescriptiveStatistics s = new DescriptiveStatistics();
    runs.forEach(r -> s.addValue(metric.read().applyAsDouble(r)));
    return s;
  }
}
