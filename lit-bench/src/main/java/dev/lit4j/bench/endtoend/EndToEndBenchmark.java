package dev.lit4j.bench.endtoend;

import dev.lit4j.bench.report.LoadAverage;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.pytorch.EngineThreads;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.testing.SyntheticImages;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end throughput of lit4j's user-facing workloads, printed as a markdown section for {@code
 * docs/BENCHMARKS.md}.
 *
 * <p>A plain program, not a JMH benchmark: each workload takes seconds to minutes (a training step
 * at B = 4096, a classifier of 8,000 prompts), so JMH's many-iteration, many-fork model would take
 * hours; instead each measurement runs once as warm-up and then a few times, and the report gives
 * the median and the range. Measured:
 *
 * <ol>
 *   <li>training pairs/s: {@link dev.lit4j.pytorch.training.PyTorchContrastiveTrainer} steps of the
 *       from-scratch default text tower at B = 256, 1024, 4096, and of MiniLM-L6 at B = 256, on the
 *       shipped, pre-computed embeddings of {@code lit-examples/data} (openclipart + tuxpaint);
 *   <li>zero-shot classifier construction with the 80 CLIP ImageNet templates (prompts/s), for 100
 *       labels, and for 1,000 labels when that is predicted to take at most {@value
 *       ZeroShotThroughput#FULL_CONSTRUCTION_LIMIT_SECONDS} s (extrapolated otherwise);
 *   <li>classification split into the MobileNetV2 image tower ({@code embedAll} on 32 synthetic
 *       images of 224×224 and 640×480: images/s) and the scoring of their embeddings against 1,000
 *       classes (ms per image), with scoring as a fraction of the whole;
 *   <li>embedding-store pre-computation ({@link dev.lit4j.store.EmbeddingStoreBuilder} over 64
 *       synthetic 640×480 PNG files: images/s).
 * </ol>
 *
 * <pre>
 * java -Dai.djl.offline=true -cp lit-bench/target/benchmarks.jar \
 *     dev.lit4j.bench.endtoend.EndToEndBenchmark [quick] [--out=FILE]
 * </pre>
 *
 * <p>Run from the repository root (the shipped stores are read from {@code lit-examples/data};
 * {@code -Ddata=DIR} overrides). The training at B = 4096 runs last, and only if it is predicted to
 * fit in what is left of a 10-minute budget. {@code quick} shrinks every workload (B = 64, 2
 * labels, 4 images) to check that the program works (about half a minute, mostly loading the
 * towers); its numbers are not meant for the report, and it is not part of the Maven build. The
 * report is written to {@code --out=FILE} or {@code -Dout=FILE} as well as printed. The machine's
 * load average is recorded at start and end so that noisy runs are visible.
 */
public final class EndToEndBenchmark {
  private EndToEndBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code quick} for the short mode, {@code --out=FILE} for the report file
   * @throws IOException if the shipped data cannot be read or a temporary file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    boolean quick = false;
    String out = System.getProperty("out");
    for (String a : args) {
      if (a.equals("quick")) {
        quick = true;
      } else if (a.startsWith("--out=")) {
        out = a.substring("--out=".length());
      } else {
        throw new IllegalArgumentException(
            "unknown argument '" + a + "'; expected 'quick' and/or '--out=FILE'");
      }
    }
    Path data = Path.of(System.getProperty("data", "lit-examples/data"));
    Path work = Files.createTempDirectory("lit4j-e2e-");
    try {
      String report = run(quick, data, work);
      System.out.println(report);
      if (out != null) {
        Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
        System.err.println("report written to " + out);
      }
    } finally {
      AtomicDirectory.deleteRecursively(work);
    }
  }

  private static String run(boolean quick, Path data, Path work) throws IOException {
    Plan plan = quick ? Plan.QUICK : Plan.FULL;
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadStart = LoadAverage.now();
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    try (MobileNetV2Tower imageTower = MobileNetV2Tower.load()) {
      PairedEmbeddings pairs = TrainingThroughput.shippedPairs(data, imageTower);
      progress("loaded " + pairs.size() + " shipped pairs");
      TrainingThroughput training = new TrainingThroughput(imageTower, pairs, work);
      add(rows, training.defaultTower(plan.smallBatch(), plan.smallBatchSteps()));
      Row medium = null;
      if (plan.mediumBatch() > 0) {
        medium = add(rows, training.defaultTower(plan.mediumBatch(), plan.mediumBatchSteps()));
      }
      int largeIndex = rows.size();
      if (plan.miniLmSteps() > 0) {
        add(rows, training.miniLm(plan.smallBatch(), plan.miniLmSteps()));
      }

      StoreThroughput store = new StoreThroughput(imageTower, work);
      Path warmup = store.writeImages("warmup-png", plan.storeWarmupImages(), 640, 480);
      Path manifest = store.writeImages("png", plan.storeImages(), 640, 480);
      add(
          rows,
          new Row(
              "embedding store (EmbeddingStoreBuilder)",
              plan.storeImages() + " PNG files, 640×480",
              store.build(warmup, manifest, plan.storeRepetitions()),
              "images/s",
              "decode + preprocess + tower + write, default batch 64; warm-up on a smaller set"));

      try (MobileNetV2Tower zeroShotTower = MobileNetV2Tower.load();
          LitModel model =
              LitModel.of(
                  zeroShotTower,
                  defaultTextTower(zeroShotTower.dimension()),
                  ScoreCalibration.SOFTMAX_DEFAULT)) {
        zeroShot(new ZeroShotThroughput(model), plan, rows, notes);
      }

      // The largest batch runs last, in what is left of the budget. A step's time grows about
      // linearly in B (the text tower dominates; the loss is quadratic in B, hence the margin).
      if (plan.largeBatch() > 0 && medium != null) {
        int steps = plan.largeBatchSteps() + 1;
        double predicted = 1.5 * steps * plan.largeBatch() / medium.samples().median();
        double left = plan.budgetSeconds() - (System.nanoTime() - t0) / 1e9;
        if (predicted <= left) {
          rows.add(largeIndex, training.defaultTower(plan.largeBatch(), plan.largeBatchSteps()));
          progress(rows.get(largeIndex).markdown());
        } else {
          notes.add(
              String.format(
                  Locale.ROOT,
                  "Training at B = %d was skipped: its %d steps were predicted to take %.0f s,"
                      + " %.0f s of the budget were left.",
                  plan.largeBatch(),
                  steps,
                  predicted,
                  left));
        }
      }
    }

    double minutes = (System.nanoTime() - t0) / 60e9;
    return report(quick, start, loadStart, LoadAverage.now(), minutes, rows, notes);
  }

  /** The from-scratch default text tower with the MiniLM tokenizer. */
  private static TransformerTextTower defaultTextTower(int dimension) throws IOException {
    TextTowerConfig config = TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, dimension).build();
    try (InputStream json = AllMiniLmL6V2.openTokenizerJson()) {
      return TransformerTextTower.create(config, TextTokenizer.load(json, config.maxLength()));
    }
  }

  private static void zeroShot(
      ZeroShotThroughput zs, Plan plan, List<Row> rows, List<String> notes) {
    int templates = PromptTemplates.CLIP_IMAGENET_80.size();
    Samples prompts =
        zs.construction(plan.warmupLabels(), plan.labels(), plan.constructionRepetitions());
    add(
        rows,
        new Row(
            "classifier construction (default tower)",
            plan.labels() + " labels × " + templates + " templates",
            prompts,
            "prompts/s",
            "ZeroShotClassifier.build(); warm-up with " + plan.warmupLabels() + " label(s)"));
    double predicted = 1000.0 * templates / prompts.median();
    if (predicted <= ZeroShotThroughput.FULL_CONSTRUCTION_LIMIT_SECONDS) {
      double seconds = zs.constructionSeconds(1000);
      add(
          rows,
          new Row(
              "classifier construction (default tower)",
              "1000 labels × " + templates + " templates",
              new Samples(new double[] {1000.0 * templates / seconds}),
              "prompts/s",
              String.format(Locale.ROOT, "one build, %.1f s", seconds)));
    } else {
      notes.add(
          String.format(
              Locale.ROOT,
              "Classifier construction for 1,000 labels × %d templates was not run:"
                  + " **extrapolated** from the %d-label median it takes %.0f s (%.1f min).",
              templates,
              plan.labels(),
              predicted,
              predicted / 60));
    }

    int count = plan.images();
    List<BufferedImage> small = SyntheticImages.of(count, 224, 224, 1);
    List<BufferedImage> large = SyntheticImages.of(count, 640, 480, 2);
    Samples towerSmall =
        add(rows, towerRow(count, "224×224", zs.imageTower(small, plan.towerRepetitions())))
            .samples();
    Samples towerLarge =
        add(rows, towerRow(count, "640×480", zs.imageTower(large, plan.towerRepetitions())))
            .samples();
    Samples scoring = zs.scoring(small, plan.scoringRepetitions());
    add(
        rows,
        new Row(
            "classify: scoring (classifyAll(EmbeddingMatrix))",
            count + " embeddings × 1000 classes",
            scoring,
            "ms/image",
            "cosines + softmax + sorted ClassScores; one warm-up call"));
    notes.add(scoringFraction("224×224", towerSmall, scoring));
    notes.add(scoringFraction("640×480", towerLarge, scoring));
  }

  private static String scoringFraction(String size, Samples tower, Samples scoring) {
    double towerMs = 1000 / tower.median();
    double scoringMs = scoring.median();
    return String.format(
        Locale.ROOT,
        "Classify %s: image tower %.1f ms/image + scoring %.2f ms/image (medians); scoring is"
            + " **%.2f %%** of classify time (target < 1 %%).",
        size,
        towerMs,
        scoringMs,
        100 * scoringMs / (towerMs + scoringMs));
  }

  private static Row towerRow(int count, String size, Samples samples) {
    return new Row(
        "classify: image tower (MobileNetV2Tower.embedAll)",
        count + " images, " + size,
        samples,
        "images/s",
        "in-memory BufferedImages: preprocess + tower; one warm-up call");
  }

  private static Row add(List<Row> rows, Row row) {
    rows.add(row);
    progress(row.markdown());
    return row;
  }

  private static void progress(String line) {
    System.err.println("[e2e] " + line);
  }

  private static String report(
      boolean quick,
      Instant start,
      String loadStart,
      String loadEnd,
      double minutes,
      List<Row> rows,
      List<String> notes) {
    String omp = System.getenv("OMP_NUM_THREADS");
    EngineThreads.Counts threads = EngineThreads.current();
    StringBuilder s = new StringBuilder();
    s.append("### Measured ").append(start).append(quick ? " (quick mode)" : "").append("\n\n");
    s.append("```bash\n")
        .append("java -Dai.djl.offline=true -cp lit-bench/target/benchmarks.jar \\\n")
        .append("    dev.lit4j.bench.endtoend.EndToEndBenchmark")
        .append(quick ? " quick" : "")
        .append("\n```\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "- %d CPUs visible to the JVM, Java %s, max heap %d MiB, `OMP_NUM_THREADS` %s,"
                + " libtorch threads %d intra-op + %d inter-op (`-Dlit4j.threads`)\n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() / (1024 * 1024),
            omp == null ? "unset" : "= " + omp,
            threads.intraOp(),
            threads.interOp()));
    s.append("- load average (1, 5, 15 min) at start: ")
        .append(loadStart)
        .append("; at end: ")
        .append(loadEnd)
        .append('\n');
    s.append(String.format(Locale.ROOT, "- whole run: %.1f min\n\n", minutes));
    s.append("| workload | setting | median | range (± half-span) | runs | what is timed |\n");
    s.append("|---|---|---:|---|---:|---|\n");
    for (Row row : rows) {
      s.append(row.markdown()).append('\n');
    }
    s.append('\n');
    for (String note : notes) {
      s.append("- ").append(note).append('\n');
    }
    return s.toString();
  }
}
