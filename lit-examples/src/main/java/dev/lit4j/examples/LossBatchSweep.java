package dev.lit4j.examples;

import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.loss.LossKind;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.pytorch.training.CaptionFeatureCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The loss and batch-size sweep of the LiT/SigLIP comparison (issue 11): {@link Recipe#DEFAULT}
 * (locked image tower, projection-only MiniLM) trained with the softmax and with the sigmoid loss
 * at batch sizes 64 to 1024, every run for the recipe's epochs, so that each sees the same number
 * of pairs, and measured on the held-out sets. SigLIP (Zhai et al., ICCV 2023) reports that the
 * sigmoid loss wins at small batches; this measures whether that holds here.
 *
 * <p>The learning rate is the recipe's (chosen at batch 256) for every batch size, and the sigmoid
 * loss starts from SigLIP's temperature 10 and bias −10 ({@code TrainerConfig}'s defaults): no arm
 * is tuned more than another.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java
 * -Dexec.mainClass=dev.lit4j.examples.LossBatchSweep} (after {@code mvn -B -q install
 * -DskipTests}). Arguments: {@code [outputDirectory] [seeds]}, seeds comma-separated (default
 * {@code target/loss-batch-sweep} and {@code 0,1}); writes {@code sweep.md} and {@code sweep.png}
 * there.
 */
public final class LossBatchSweep {
  /** The batch sizes of the sweep. */
  public static final List<Integer> BATCH_SIZES = List.of(64, 128, 256, 512, 1024);

  private LossBatchSweep() {}

  /** One measured number of a run, read from its results and printed with {@code format}. */
  private record Metric(String name, String format, ToDoubleFunction<LitTuning.Result> read) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric(
              "Tux Paint top-1",
              "%.3f",
              r -> heldOut(r).zeroShot(LitTuning.TUX_PAINT).accuracy().top1()),
          new Metric(
              "Tux Paint balanced top-1",
              "%.3f",
              r -> heldOut(r).zeroShot(LitTuning.TUX_PAINT).diagnostics().balancedTop1()),
          new Metric(
              "Fashion-MNIST top-1",
              "%.3f",
              r -> heldOut(r).zeroShot(LitTuning.FASHION_MNIST).accuracy().top1()),
          new Metric(
              "Tux Paint i→t R@10",
              "%.3f",
              r -> heldOut(r).retrievalSet().orElseThrow().recall().imageToText().recallAt10()),
          new Metric(
              "validation top-1",
              "%.3f",
              r -> r.after().validation().zeroShot(LitTuning.VALIDATION).accuracy().top1()),
          new Metric("final temperature", "%.0f", r -> r.training().calibration().temperature()),
          new Metric("seconds", "%.0f", LitTuning.Result::seconds));

  private static EvaluationMetrics heldOut(LitTuning.Result r) {
    return r.after().heldOut();
  }

  /**
   * Runs the sweep, prints the table and writes it with its chart.
   *
   * @param args optional {@code [outputDirectory] [seeds]}
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/loss-batch-sweep");
    List<Long> seeds = new ArrayList<>();
    for (String s : (args.length > 1 ? args[1] : "0,1").split(",")) {
      seeds.add(Long.parseLong(s.strip()));
    }
    ShippedData data = ShippedData.locate();
    CaptionFeatureCache captions = CaptionFeatureCache.create();
    Map<String, List<LitTuning.Result>> runs = new LinkedHashMap<>();
    for (LossKind loss : List.of(LossKind.SOFTMAX, LossKind.SIGMOID)) {
      for (int batch : BATCH_SIZES) {
        Recipe recipe = Recipe.DEFAULT.toBuilder().loss(loss).batchSize(batch).build();
        List<LitTuning.Result> results = new ArrayList<>();
        for (long seed : seeds) {
          Path dir = out.resolve(loss.name().toLowerCase(Locale.ROOT) + "-" + batch + "-" + seed);
          System.err.printf("%s, batch %d, seed %d%n", loss, batch, seed);
          results.add(
              LitTuning.run(
                  new LitTuning.Options(data, dir, recipe, seed, ConsoleProgressBar.to(System.err)),
                  captions));
        }
        runs.put(loss + " " + batch, results);
        System.out.println(row(loss, batch, results));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(header(seeds));
    lines.add("|---|---|" + "---|".repeat(METRICS.size()));
    for (LossKind loss : List.of(LossKind.SOFTMAX, LossKind.SIGMOID)) {
      for (int batch : BATCH_SIZES) {
        lines.add(row(loss, batch, runs.get(loss + " " + batch)));
      }
    }
    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve("sweep.md"), String.join("\n", lines) + "\n");
    writeChart(runs, out.resolve("sweep.png"), seeds.size());
    System.out.println(String.join("\n", lines));
    System.out.println(
        "table: " + out.resolve("sweep.md") + ", chart: " + out.resolve("sweep.png"));
  }

  private static String header(List<Long> seeds) {
    StringBuilder b = new StringBuilder("| loss | batch |");
    for (Metric m : METRICS) {
      b.append(' ').append(m.name()).append(" |");
    }
    return b + " <!-- mean ± sd over seeds " + seeds + " -->";
  }

  private static String row(LossKind loss, int batch, List<LitTuning.Result> results) {
    StringBuilder b = new StringBuilder("| " + loss + " | " + batch + " |");
    for (Metric m : METRICS) {
      DescriptiveStatistics s = stats(results, m);
      String format = m.format();
      b.append(' ').append(String.format(Locale.ROOT, format, s.getMean()));
      if (results.size() > 1) {
        b.append(" ± ").append(String.format(Locale.ROOT, format, s.getStandardDeviation()));
      }
      b.append(" |");
    }
    return b.toString();
  }

  private static DescriptiveStatistics stats(List<LitTuning.Result> results, Metric metric) {
    DescriptiveStatistics s = new DescriptiveStatistics();
    results.forEach(r -> s.addValue(metric.read().applyAsDouble(r)));
    return s;
  }

  /** Held-out top-1 against batch size (log scale), one line per loss and held-out set. */
  private static void writeChart(Map<String, List<LitTuning.Result>> runs, Path file, int seeds)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title("Held-out zero-shot top-1 by loss and batch size (mean of " + seeds + " seeds)")
            .xAxisTitle("batch size (same pairs seen)")
            .yAxisTitle("top-1")
            .build();
    chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(LegendPosition.OutsideE);
    for (Metric m : List.of(METRICS.get(0), METRICS.get(2))) {
      for (LossKind loss : List.of(LossKind.SOFTMAX, LossKind.SIGMOID)) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int batch : BATCH_SIZES) {
          x.add((double) batch);
          y.add(stats(runs.get(loss + " " + batch), m).getMean());
        }
        chart.addSeries(m.name() + ", " + loss.name().toLowerCase(Locale.ROOT), x, y);
      }
    }
    AtomicFiles.write(
        file, o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
  }
}
