package dev.lit4j.plot;

import dev.lit4j.io.AtomicFiles;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.StepMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Renders the curves of a metrics log into one PNG with XChart: the training loss, the temperature
 * and (sigmoid) bias, the learning rate, and every evaluation metric, each in its own panel stacked
 * vertically, all over the step axis. Java2D only: works with {@code java.awt.headless=true}.
 *
 * <pre>{@code
 * TrainingCurves.write(MetricsLog.read(config.metricsFile()), Path.of("curves.png"));
 * }</pre>
 *
 * <p>The trainers write this plot at the end of every run ({@code TrainerConfig.plotFile()}); call
 * it yourself to redraw the curves of a run that is still going or was stopped.
 *
 * <p>Stateless and thread-safe.
 */
public final class TrainingCurves {
  /** Width of the image in pixels. */
  public static final int WIDTH = 900;

  /** Height of one panel in pixels; the image is this times the number of panels high. */
  public static final int PANEL_HEIGHT = 260;

  private TrainingCurves() {}

  /**
   * Writes the plot of {@code entries} to {@code file} atomically (temporary file, then move): a
   * loss, a temperature (and bias) and a learning-rate panel when the log has steps, and one
   * evaluation panel when it has evaluations.
   *
   * @param entries a metrics log, e.g. from {@link MetricsLog#read}
   * @param file the PNG to write; its directory must exist
   * @throws IllegalArgumentException if the log has neither steps nor evaluations
   * @throws IOException if the file cannot be written (an existing file is left as it was)
   */
  public static void write(MetricsLog.Entries entries, Path file) throws IOException {
    List<XYChart> panels = new ArrayList<>();
    List<StepMetrics> steps = entries.steps();
    if (!steps.isEmpty()) {
      double[] x = new double[steps.size()];
      double[] loss = new double[steps.size()];
      double[] temperature = new double[steps.size()];
      double[] bias = new double[steps.size()];
      double[] lr = new double[steps.size()];
      boolean hasBias = false;
      for (int i = 0; i < x.length; i++) {
        StepMetrics s = steps.get(i);
        x[i] = s.step();
        loss[i] = s.loss();
        temperature[i] = s.temperature();
        bias[i] = s.bias();
        lr[i] = s.learningRate();
        hasBias |= s.bias() != 0;
      }
      panels.add(panel("training loss", x, Map.of("loss", loss)));
      panels.add(
          panel(
              "logit scale and bias",
              x,
              hasBias
                  ? Map.of("temperature t", temperature, "bias b", bias)
                  : Map.of("temperature t", temperature)));
      XYChart rate = panel("learning rate", x, Map.of("lr", lr));
      // XChart's default tick format prints rates like 1e-4 as long decimal strings.
      rate.getStyler().setYAxisDecimalPattern("0.0E0");
      panels.add(rate);
    }
    if (!entries.evaluations().isEmpty()) {
      Map<String, double[]> series = new TreeMap<>();
      List<MetricsLog.EvaluationPoint> evals = entries.evaluations();
      double[] x = new double[evals.size()];
      for (int i = 0; i < evals.size(); i++) {
        x[i] = evals.get(i).step();
        for (Map.Entry<String, Double> e : evals.get(i).values().entrySet()) {
          series.computeIfAbsent(e.getKey(), k -> new double[evals.size()])[i] = e.getValue();
        }
      }
      panels.add(panel("evaluation", x, series));
    }
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("the metrics log is empty: nothing to plot");
    }
    AtomicFiles.write(
        file,
        out ->
            BitmapEncoder.saveBitmap(
                panels, panels.size(), 1, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static XYChart panel(String title, double[] x, Map<String, double[]> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(PANEL_HEIGHT)
            .title(title)
            .xAxisTitle("step")
            .build();
    chart.getStyler().setLegendVisible(series.size() > 1);
    new TreeMap<>(series)
        .forEach(
            (name, y) -> {
              XYSeries s = chart.addSeries(name, x, y);
              s.setMarker(x.length > 50 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            });
    return chart;
  }
}
