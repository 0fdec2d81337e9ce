package dev.lit4j.bench.report;

import dev.lit4j.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws similarity GFLOP/s against batch size, one line per implementation and dimension. */
final class SimilarityChart {
  private SimilarityChart() {}

  /**
   * Writes the chart as a PNG to {@code png} (atomically: temporary file, then move).
   *
   * @throws IOException if the file cannot be written
   */
  static void write(List<Measurement> results, Path png) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title("Similarity X·Yᵀ: GFLOP/s by batch size")
            .xAxisTitle("B (rows of X and Y; log scale)")
            .yAxisTitle("GFLOP/s")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    List<Integer> dims = new ArrayList<>();
    for (Measurement m : results) {
      if (m.bench().equals("SimilarityBench") && !dims.contains(m.intParam("dim"))) {
        dims.add(m.intParam("dim"));
      }
    }
    dims.sort(null);
    for (int dim : dims) {
      addSeries(chart, results, "pytorchGemm", dim, "PyTorch GEMM (ceiling), D=" + dim);
      addSeries(chart, results, "java", dim, "pure Java, D=" + dim);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    AtomicFiles.write(
        png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  private static void addSeries(
      XYChart chart, List<Measurement> results, String method, int dim, String name) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    results.stream()
        .filter(m -> m.bench().equals("SimilarityBench") && m.method().equals(method))
        .filter(m -> m.intParam("dim") == dim)
        .sorted(java.util.Comparator.comparingInt(m -> m.intParam("batch")))
        .forEach(
            m -> {
              x.add((double) m.intParam("batch"));
              y.add(KernelTables.gflops(m.intParam("batch"), dim, m.millis()));
            });
    Optional.of(x)
        .filter(l -> !l.isEmpty())
        .ifPresent(l -> chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE));
  }
}
