package dev.lit4j.examples;

import dev.lit4j.eval.CrossValidatedAccuracy;
import dev.lit4j.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
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

  private static final Metric TUX_TOP1 =
      zeroShot("Tux Paint top-1", r -> r.top1(LitTuning.TUX_PAINT));
  private static final Metric TUX_TOP5 =
      zeroShot("Tux Paint top-5", r -> r.top5(LitTuning.TUX_PAINT));
  private static final Metric FASHION_TOP1 =
      zeroShot("Fashion-MNIST top-1", r -> r.top1(LitTuning.FASHION_MNIST));
  private static final Metric FASHION_TOP5 =
      zeroShot("Fashion-MNIST top-5", r -> r.top5(LitTuning.FASHION_MNIST));
  private static final Metric IMAGE_TO_TEXT_R1 =
      zeroShot("Tux Paint i→t R@1", r -> r.retrieval().imageToText().recallAt1());
  private static final Metric IMAGE_TO_TEXT_R5 =
      zeroShot("i→t R@5", r -> r.retrieval().imageToText().recallAt5());
  private static final Metric IMAGE_TO_TEXT_R10 =
      zeroShot("i→t R@10", r -> r.retrieval().imageToText().recallAt10());
  private static final Metric TRAINING_SECONDS =
      new Metric("training s", ArmResult::trainSeconds, true);
  private static final Metric WALL_SECONDS = new Metric("wall s", ArmResult::seconds, true);

  /** The columns of the table and the runs log, in order. */
  private static final List<Metric> METRICS =
      List.of(
          TUX_TOP1,
          TUX_TOP5,
          FASHION_TOP1,
          FASHION_TOP5,
          IMAGE_TO_TEXT_R1,
          IMAGE_TO_TEXT_R5,
          IMAGE_TO_TEXT_R10,
          zeroShot("t→i R@1", r -> r.retrieval().textToImage().recallAt1()),
          zeroShot("t→i R@5", r -> r.retrieval().textToImage().recallAt5()),
          zeroShot("t→i R@10", r -> r.retrieval().textToImage().recallAt10()),
          TRAINING_SECONDS,
          WALL_SECONDS);

  private static Metric zeroShot(String name, ToDoubleFunction<ArmResult> read) {
    return new Metric(name, read, false);
  }

  /** {@return {@code run}'s numbers, one per column of the runs log} */
  static RunNumbers numbers(ArmResult run) {
    List<Double> values = new ArrayList<>();
    METRICS.forEach(m -> values.add(m.read().applyAsDouble(run)));
    return new RunNumbers(run.arm(), run.seed(), values);
  }

  /** {@return the Markdown table, with a line stating what was run} */
  static String table(PaperComparison.Result result) {
    PaperComparison.Options o = result.options();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "LiT comparison: %d training images, %d steps, batch %d, learning rate %g, seeds %s;"
                + " mean ± sd over seeds; the arms' wall times add up to %.0f s.%n%n",
            result.trainingImages(),
            o.steps(),
            o.batchSize(),
            o.learningRate(),
            o.seeds(),
            result.runs().stream().mapToDouble(r -> value(r, WALL_SECONDS)).sum()));
    b.append("| arm | setting |");
    METRICS.forEach(m -> b.append(' ').append(m.name()).append(" |"));
    b.append('\n').append("|---|---|").append("---|".repeat(METRICS.size())).append('\n');
    for (Arm arm : o.arms()) {
      List<RunNumbers> runs = result.runs(arm);
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

  /** {@return the runs log's column header} */
  private static String header() {
    StringBuilder b = new StringBuilder("arm\tresolution\tseed");
    METRICS.forEach(m -> b.append('\t').append(m.name()));
    return b.toString();
  }

  /**
   * Appends one run's numbers to a tab-separated log, writing {@code # settings} and the column
   * header first when the file is new, so that the runs of a long comparison survive a failure
   * before the table is written, and a later invocation with the same settings continues them.
   *
   * @param run the run's numbers
   * @param settings what every run of the log shares ({@link PaperComparison.Options#settings()})
   * @param file the log
   * @throws IOException if the file cannot be written
   */
  static void appendRun(RunNumbers run, String settings, Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    if (!Files.exists(file)) {
      b.append("# ").append(settings).append('\n').append(header()).append('\n');
    }
    b.append(run.arm().code()).append('\t').append(run.arm().resolution());
    b.append('\t').append(run.seed());
    for (double v : run.values()) {
      b.append('\t').append(String.format(Locale.ROOT, "%.6g", v));
    }
    b.append('\n');
    Files.writeString(
        file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Reads the runs a log written by {@link #appendRun} holds; none if it does not exist.
   *
   * @param file the log
   * @param settings the settings the caller runs with
   * @return the runs, in file order
   * @throws IllegalArgumentException if the log was written with other settings or columns (both
   *     named, with the fix) or a line is malformed (its number named)
   * @throws IOException if the file cannot be read
   */
  static List<RunNumbers> readRuns(Path file, String settings) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String fix =
        "; give another --out, or delete " + file + " to run every arm again with these settings";
    if (lines.isEmpty() || !lines.get(0).equals("# " + settings)) {
      throw new IllegalArgumentException(
          file
              + " holds runs made with '"
              + (lines.isEmpty() ? "" : lines.get(0).replaceFirst("^# ", ""))
              + "', this comparison runs with '"
              + settings
              + "'"
              + fix);
    }
    if (lines.size() < 2 || !lines.get(1).equals(header())) {
      throw new IllegalArgumentException(
          file + " has other columns than this version writes (" + header() + ")" + fix);
    }
    List<RunNumbers> runs = new ArrayList<>();
    for (int n = 2; n < lines.size(); n++) {
      String line = lines.get(n);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 3 + METRICS.size()) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (n + 1)
                + " has "
                + f.length
                + " fields, expected "
                + (3 + METRICS.size())
                + fix);
      }
      try {
        List<Double> values = new ArrayList<>();
        for (int i = 3; i < f.length; i++) {
          values.add(Double.parseDouble(f[i]));
        }
        runs.add(
            new RunNumbers(
                Arm.parse(f[0] + "@" + f[1], Arm.FULL_RESOLUTION), Long.parseLong(f[2]), values));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file + " line " + (n + 1) + " is not a run: " + e.getMessage() + fix, e);
      }
    }
    return runs;
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
   * Writes the chart: on the left a grouped bar chart of each arm's held-out zero-shot top-1 and
   * top-5 on both sets and Tux Paint image → text R@1, R@5 and R@10 (mean over seeds, the bars'
   * whiskers ± one standard deviation), with chance, the majority class and the linear probe as the
   * last groups (bars they do not have are 0); on the right each arm's training and wall time.
   *
   * @throws IOException if the file cannot be written
   */
  static void writeChart(PaperComparison.Result result, Path file) throws IOException {
    BufferedImage scores = BitmapEncoder.getBufferedImage(scoresChart(result));
    BufferedImage times = BitmapEncoder.getBufferedImage(timesChart(result));
    BufferedImage both =
        new BufferedImage(
            scores.getWidth() + times.getWidth(),
            Math.max(scores.getHeight(), times.getHeight()),
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, both.getWidth(), both.getHeight());
    g.drawImage(scores, 0, 0, null);
    g.drawImage(times, scores.getWidth(), 0, null);
    g.dispose();
    AtomicFiles.write(file, out -> ImageIO.write(both, "png", out));
  }

  private static CategoryChart scoresChart(PaperComparison.Result result) {
    PaperComparison.Options o = result.options();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1300)
            .height(560)
            .title(
                String.format(
                    Locale.ROOT,
                    "LiT comparison, %d steps of batch %d (mean ± sd over seeds %s)",
                    o.steps(),
                    o.batchSize(),
                    o.seeds()))
            .xAxisTitle("arm (image, text: L locked, U pre-trained, u scratch) and resolution")
            .yAxisTitle("held-out score")
            .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    List<String> categories = new ArrayList<>(armCategories(result));
    categories.addAll(List.of("chance", "majority", "probe"));
    PaperComparison.Baseline tux = baseline(result, LitTuning.TUX_PAINT);
    PaperComparison.Baseline fashion = baseline(result, LitTuning.FASHION_MNIST);
    double n = result.retrievalImages();
    addSeries(
        chart,
        result,
        categories,
        "Tux Paint top-1",
        TUX_TOP1,
        tux.chanceTop1(),
        tux.majorityTop1(),
        tux.linearProbe());
    addSeries(
        chart,
        result,
        categories,
        "Tux Paint top-5",
        TUX_TOP5,
        tux.chanceTop5(),
        tux.majorityTop5(),
        null);
    addSeries(
        chart,
        result,
        categories,
        "Fashion-MNIST top-1",
        FASHION_TOP1,
        fashion.chanceTop1(),
        fashion.majorityTop1(),
        fashion.linearProbe());
    addSeries(
        chart,
        result,
        categories,
        "Fashion-MNIST top-5",
        FASHION_TOP5,
        fashion.chanceTop5(),
        fashion.majorityTop5(),
        null);
    int[] ks = {1, 5, 10};
    List<Metric> recalls = List.of(IMAGE_TO_TEXT_R1, IMAGE_TO_TEXT_R5, IMAGE_TO_TEXT_R10);
    for (int i = 0; i < ks.length; i++) {
      addSeries(
          chart,
          result,
          categories,
          "Tux Paint image → text R@" + ks[i],
          recalls.get(i),
          ks[i] / n,
          0,
          null);
    }
    return chart;
  }

  private static CategoryChart timesChart(PaperComparison.Result result) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(520)
            .height(560)
            .title("Time per arm (mean ± sd over seeds)")
            .xAxisTitle("arm and resolution")
            .yAxisTitle("seconds")
            .build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    List<String> categories = armCategories(result);
    Bars training = bars(result, TRAINING_SECONDS);
    chart.addSeries("training", categories, training.means(), training.sds());
    Bars wall = bars(result, WALL_SECONDS);
    chart.addSeries("wall (towers made, trained, evaluated)", categories, wall.means(), wall.sds());
    return chart;
  }

  /**
   * One series: the arms' means ± sd, then the three baselines (0 where one does not apply; the
   * probe's whisker is its cross-validation sd).
   */
  private static void addSeries(
      CategoryChart chart,
      PaperComparison.Result result,
      List<String> categories,
      String name,
      Metric metric,
      double chance,
      double majority,
      CrossValidatedAccuracy probe) {
    Bars arms = bars(result, metric);
    List<Double> y = new ArrayList<>(arms.means());
    List<Double> sd = new ArrayList<>(arms.sds());
    y.addAll(List.of(chance, majority, probe == null ? 0 : probe.mean()));
    sd.addAll(List.of(0.0, 0.0, probe == null ? 0 : probe.standardDeviation()));
    chart.addSeries(name, categories, y, sd);
  }

  /** {@return one chart category per arm, e.g. {@code "LU 112"}} */
  private static List<String> armCategories(PaperComparison.Result result) {
    return result.options().arms().stream().map(a -> a.code() + " " + a.resolution()).toList();
  }

  /** The bars of one metric: per arm the mean over seeds and its standard deviation. */
  private record Bars(List<Double> means, List<Double> sds) {}

  private static Bars bars(PaperComparison.Result result, Metric metric) {
    List<Double> means = new ArrayList<>();
    List<Double> sds = new ArrayList<>();
    for (Arm arm : result.options().arms()) {
      DescriptiveStatistics s = stats(result.runs(arm), metric);
      means.add(s.getMean());
      // One seed has no spread: DescriptiveStatistics gives NaN, the chart draws no whisker.
      sds.add(Double.isNaN(s.getStandardDeviation()) ? 0 : s.getStandardDeviation());
    }
    return new Bars(means, sds);
  }

  private static DescriptiveStatistics stats(List<RunNumbers> runs, Metric metric) {
    DescriptiveStatistics s = new DescriptiveStatistics();
    runs.forEach(r -> s.addValue(value(r, metric)));
    return s;
  }

  /** {@return {@code run}'s value of {@code metric}} */
  private static double value(RunNumbers run, Metric metric) {
    return run.values().get(METRICS.indexOf(metric));
  }
}
