package dev.lit4j.plot;

import dev.lit4j.io.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Draws a confusion matrix as a PNG heat map with XChart: true labels down, predicted labels
 * across, the count in each cell (cells are left blank beyond 40 classes). Java2D only: works with
 * {@code java.awt.headless=true}.
 *
 * <pre>{@code
 * ConfusionMatrixChart.write(Path.of("confusion.png"), List.of("cat", "dog"), new int[][] {{9, 1}, {2, 8}});
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfusionMatrixChart {
  private static final int CELL = 48;
  private static final int MARGIN = 260;
  private static final int MAX_SIDE = 4000;

  private ConfusionMatrixChart() {}

  /**
   * Writes the chart of {@code counts} ({@code counts[truth][predicted]}) to {@code file},
   * atomically.
   *
   * @param file the PNG to write; its directory must exist
   * @param labels the class names, in the order of the rows and columns of {@code counts}
   * @param counts a square matrix of non-negative counts, one row and one column per label
   * @throws IllegalArgumentException if {@code labels} is empty, or {@code counts} is not a square
   *     matrix of non-negative values of that size (the bad row or value is named)
   * @throws IOException if the file cannot be written (an existing file is left as it was)
   */
  public static void write(Path file, List<String> labels, int[][] counts) throws IOException {
    Objects.requireNonNull(file, "file");
    int k = Objects.requireNonNull(labels, "labels").size();
    if (k == 0) {
      throw new IllegalArgumentException("labels is empty; a confusion matrix needs at least one");
    }
    if (Objects.requireNonNull(counts, "counts").length != k) {
      throw new IllegalArgumentException(
          "counts has " + counts.length + " rows for " + k + " labels; give one row per label");
    }
    for (int t = 0; t < k; t++) {
      if (counts[t].length != k) {
        throw new IllegalArgumentException(
            "row " + t + " of counts has " + counts[t].length + " columns, expected " + k);
      }
      for (int p = 0; p < k; p++) {
        if (counts[t][p] < 0) {
          throw new IllegalArgumentException(
              "counts[" + t + "][" + p + "] = " + counts[t][p] + " is negative");
        }
      }
    }
    int side = Math.min(MAX_SIDE, MARGIN + CELL * k);
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(side + 80)
            .height(side)
            .title("confusion matrix (" + total(counts) + " images)")
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    chart.getStyler().setShowValue(k <= 40);
    chart.getStyler().setHeatMapValueDecimalPattern("#");
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x6b, 0xae, 0xd6)});
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    // The categories are the labels; XChart draws y index 0 at the bottom, so the true labels go
    // in reverse to put the first one on top, as in a table.
    List<String> trueLabels = new ArrayList<>(labels);
    Collections.reverse(trueLabels);
    List<Number[]> heat = new ArrayList<>(k * k);
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        heat.add(new Number[] {p, k - 1 - t, counts[t][p]});
      }
    }
    chart.addSeries("count", labels, trueLabels, heat);
    AtomicFiles.write(
        file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static int total(int[][] counts) {
    int n = 0;
    for (int[] row : counts) {
      for (int c : row) {
        n += c;
      }
    }
    return n;
  }
}
