package dev.lit4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path dir;

  /** One JMH JSON entry, as JMH 1.37 writes it (trimmed to the fields the report reads). */
  private static String entry(String method, String params, double millis) {
    return String.format(
        Locale.ROOT,
        "{\"benchmark\": \"dev.lit4j.bench.%s\", \"mode\": \"avgt\", \"params\": {%s},"
            + " \"primaryMetric\": {\"score\": %s, \"scoreError\": \"NaN\","
            + " \"scoreUnit\": \"ms/op\"}}",
        method,
        params,
        millis);
  }

  private Path results() throws IOException {
    String target = "\"batch\": \"16384\", \"dim\": \"768\"";
    String loss = target + ", \"kind\": \"SOFTMAX\", \"form\": \"FULL\", \"chunkRows\": \"1024\"";
    // 2·16384²·768 = 412.3 GFLOP: 4123 ms is 100 GFLOP/s, 2061.6 ms is 200 GFLOP/s.
    String json =
        "["
            + String.join(
                ",",
                entry("SimilarityBench.java", target, 4123.17),
                entry("SimilarityBench.pytorchGemm", target, 2061.58),
                entry("SimilarityBench.pytorch", target, 2500),
                entry("LossBench.pytorchForwardBackward", loss, 2061.58 * 3 * 1.2),
                entry("LossBench.javaForwardBackward", loss, 4123.17 * 3 * 1.5))
            + "]";
    Path file = dir.resolve("results.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  private Path doc(String body) throws IOException {
    Path doc = dir.resolve("BENCHMARKS.md");
    Files.writeString(doc, body, StandardCharsets.UTF_8);
    return doc;
  }

  @Test
  void run_computesRatesRatiosAndVerdictsFromJmhJson() throws IOException {
    Path doc =
        doc("# Head\n\n" + BenchmarkReport.BEGIN + "\nold\n" + BenchmarkReport.END + "\n\nTail\n");
    Path chart = dir.resolve("img/similarity.png");

    String region =
        BenchmarkReport.run(new BenchmarkReport.Options(List.of(results()), doc, chart));

    assertTrue(
        region.contains("| 16384 | 768 | 4.12e+03 | 100.0 | 2.50e+03 | 2.06e+03 | 200.0 | 50 % |"),
        region);
    assertTrue(region.contains("| 1.50 |"), "Java fwd+bwd is 1.5× its three GEMMs: " + region);
    assertTrue(region.contains("| 1.20 |"), "PyTorch fwd+bwd is 1.2× its three GEMMs: " + region);
    assertTrue(region.contains("PyTorch softmax full: 1.20× — met"), region);
    assertTrue(region.contains("Java softmax full: 1.50× — missed (1.15× the target)"), region);
    assertTrue(
        region.contains("met at 1 of 1 shapes (B×D: Java / ceiling): 16384×768: 50 %"), region);
    assertTrue(region.contains("](img/similarity.png)"), region);
  }

  @Test
  void run_replacesOnlyTheGeneratedRegionAndWritesAPng() throws IOException {
    Path doc =
        doc("# Head\n\n" + BenchmarkReport.BEGIN + "\nold\n" + BenchmarkReport.END + "\n\nTail\n");
    Path chart = dir.resolve("similarity.png");

    BenchmarkReport.run(new BenchmarkReport.Options(List.of(results()), doc, chart));

    String text = Files.readString(doc);
    assertTrue(text.startsWith("# Head\n\n" + BenchmarkReport.BEGIN), text);
    assertTrue(text.endsWith(BenchmarkReport.END + "\n\nTail\n"), text);
    assertTrue(!text.contains("\nold\n"), text);
    byte[] png = Files.readAllBytes(chart);
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 4));
    assertEquals(
        List.of(doc.getFileName(), results().getFileName(), chart.getFileName()).size(), 3);
  }

  @Test
  void run_withoutMarkers_throwsNamingTheDocument() throws IOException {
    Path doc = doc("# no markers\n");
    Path results = results();
    BenchmarkReport.Options options =
        new BenchmarkReport.Options(List.of(results), doc, dir.resolve("c.png"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BenchmarkReport.run(options));
    assertTrue(e.getMessage().contains(doc.toString()), e.getMessage());
  }

  @Test
  void run_withARerunFileLast_usesTheRerunResult() throws IOException {
    Path doc = doc(BenchmarkReport.BEGIN + "\n" + BenchmarkReport.END + "\n");
    Path rerun = dir.resolve("rerun.json");
    String target = "\"batch\": \"16384\", \"dim\": \"768\"";
    Files.writeString(rerun, "[" + entry("SimilarityBench.java", target, 2061.58) + "]");

    String region =
        BenchmarkReport.run(
            new BenchmarkReport.Options(List.of(results(), rerun), doc, dir.resolve("c.png")));

    assertTrue(region.contains("| 16384 | 768 | 2.06e+03 | 200.0 |"), region);
  }

  @Test
  void gflops_isTwoBSquaredDOverTime() {
    assertEquals(2.0 * 1024 * 1024 * 512 / 1e9, KernelTables.gflops(1024, 512, 1000), 1e-12);
  }
}
