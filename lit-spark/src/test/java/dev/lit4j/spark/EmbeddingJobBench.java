package dev.lit4j.spark;

import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.store.StoreBuildSummary;
import dev.lit4j.testing.SyntheticImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;

/**
 * Times the embedding job in Spark local mode ({@code local[1]}, {@code local[2]}) against {@link
 * EmbeddingStoreBuilder} on the same PNG files with the same MobileNetV2 tower, and measures the
 * resident memory a tower adds to a JVM; prints a Markdown section for docs/BENCHMARKS.md.
 *
 * <p>A plain program, not a test: {@code java … dev.lit4j.spark.EmbeddingJobBench [images] [runs]}
 * (command in docs/BENCHMARKS.md). Images are seeded synthetic 640×480 PNGs (gradient plus noise,
 * as lit-bench's end-to-end benchmark), written to a temporary directory. Towers are loaded before
 * timing, so no timing includes a tower load: the builder and Spark's tasks use the same tower
 * instance (in local mode the executor is this JVM). Each setting runs once on a small set as
 * warm-up, then {@code runs} times; the Spark times include job scheduling and Parquet writing, the
 * builder's its store writing.
 */
public final class EmbeddingJobBench {
  private EmbeddingJobBench() {}

  /** Runs the benchmark; arguments: image count (default 192), runs per setting (default 2). */
  public static void main(String[] args) throws IOException {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 192;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    StringBuilder out = new StringBuilder();
    double loadStart = load1();
    long started = System.nanoTime();

    long rss0 = rssKib();
    ImageTower tower = ExecutorTowers.get(TowerSource.mobileNetV2());
    long rssLoaded = rssKib();
    tower.embedAll(SyntheticImages.of(MobileNetV2Tower.BATCH_SIZE, 640, 480, 9));
    long rssEmbedded = rssKib();
    long rssModel0 = rssKib();
    long rssModel;
    try (LitModel model = LitModel.loadDefault()) {
      model.imageTower().embedAll(SyntheticImages.of(MobileNetV2Tower.BATCH_SIZE, 640, 480, 9));
      rssModel = rssKib();
    }

    Path dir = Files.createTempDirectory("lit4j-spark-bench-");
    Path manifest = writeImages(dir, images);
    Path warmManifest = writeImages(Files.createDirectories(dir.resolve("warm")), 32);

    List<String> rows = new ArrayList<>();
    double[] builder = new double[runs];
    timeBuilder(warmManifest, dir.resolve("warm-store"), tower);
    for (int r = 0; r < runs; r++) {
      builder[r] = timeBuilder(manifest, dir.resolve("store-" + r), tower);
    }
    rows.add(row("EmbeddingStoreBuilder (one JVM)", "batch 64, decode threads 2", images, builder));
    for (int[] setting : new int[][] {{1, 1}, {2, 2}, {2, 4}}) {
      double[] rates = timeSpark(dir, manifest, warmManifest, setting[0], setting[1], runs);
      rows.add(
          row(
              "EmbeddingJob, local[" + setting[0] + "]",
              setting[1] + " partition(s), batch " + EmbeddingOptions.DEFAULT_BATCH_SIZE,
              images,
              rates));
    }

    out.append("### Measured ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append("\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- %d CPUs visible to the JVM, Java %s, max heap %d MiB, `OMP_NUM_THREADS` %s%n"
                + "- load average (1 min) at start %.2f, at end %.2f; whole run %.1f min%n"
                + "- %d synthetic 640×480 PNG files, %d timed runs per setting after one warm-up"
                + " on 32 other files%n%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20,
            System.getenv("OMP_NUM_THREADS") == null
                ? "unset (libtorch's default)"
                : "= " + System.getenv("OMP_NUM_THREADS"),
            loadStart,
            load1(),
            (System.nanoTime() - started) / 60e9,
            images,
            runs));
    out.append("| setting | parallelism | images/s (runs) | mean |\n|---|---|---|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(
        String.format(
            Locale.ROOT,
            "%nTower memory (resident set of this JVM, `VmRSS`): MobileNetV2Tower.load() +%d MiB,"
                + " first embedAll of %d 640×480 images +%d MiB more; the default LiT model"
                + " (MobileNetV2 + whitening + MiniLM text tower, what `TowerSource.defaultModel()`"
                + " loads) +%d MiB over that.%n",
            (rssLoaded - rss0) >> 10,
            MobileNetV2Tower.BATCH_SIZE,
            (rssEmbedded - rssLoaded) >> 10,
            (rssModel - rssModel0) >> 10));
    System.out.println(out);
  }

  private static double timeBuilder(Path manifest, Path store, ImageTower tower)
      throws IOException {
    StoreBuildSummary s = EmbeddingStoreBuilder.builder(manifest, store, tower).build();
    return s.imagesPerSecond();
  }

  private static double[] timeSpark(
      Path dir, Path manifest, Path warm, int cores, int partitions, int runs) throws IOException {
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + cores + "]")
            .appName("lit4j-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      String tag = cores + "-" + partitions;
      runSpark(spark, warm, dir.resolve("warm-" + tag), partitions);
      double[] rates = new double[runs];
      for (int r = 0; r < runs; r++) {
        rates[r] = runSpark(spark, manifest, dir.resolve("spark-" + tag + "-" + r), partitions);
      }
      return rates;
    } finally {
      spark.stop();
    }
  }

  private static double runSpark(SparkSession spark, Path manifest, Path out, int partitions) {
    long started = System.nanoTime();
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.mobileNetV2());
    try (EmbeddedImages images =
        EmbeddingJob.embed(
            EmbeddingJob.readManifest(spark, manifest.toString()).repartition(partitions),
            manifest.getParent().toString(),
            options)) {
      EmbeddingSummary s =
          EmbeddingJob.write(
              images, out.resolve("e").toString(), out.resolve("x").toString(), started);
      return s.imagesPerSecond();
    }
  }

  private static String row(String setting, String parallelism, int images, double[] rates) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %.1f |",
        setting,
        parallelism,
        String.join(
            ", ",
            Arrays.stream(rates).mapToObj(r -> String.format(Locale.ROOT, "%.1f", r)).toList()),
        Arrays.stream(rates).average().orElse(0));
  }

  private static Path writeImages(Path dir, int count) throws IOException {
    Path img = Files.createDirectories(dir.resolve("img"));
    StringBuilder csv = new StringBuilder("path,id\n");
    List<BufferedImage> images = SyntheticImages.of(count, 640, 480, count);
    for (int i = 0; i < count; i++) {
      String name = String.format(Locale.ROOT, "img-%04d", i);
      ImageIO.write(images.get(i), "png", img.resolve(name + ".png").toFile());
      csv.append("img/").append(name).append(".png,").append(name).append('\n');
    }
    Path manifest = dir.resolve("images.csv");
    Files.writeString(manifest, csv, StandardCharsets.UTF_8);
    return manifest;
  }

  private static long rssKib() throws IOException {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static double load1() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
