package dev.lit4j.bench.endtoend;

import dev.lit4j.bench.report.LoadAverage;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.pytorch.EngineThreads;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Training throughput with the fused AdamW kernel against the reference kernel (the original one
 * libtorch operation per term), interleaved in one process so that load from other processes hits
 * both alike, and the optimiser's share of the step. Prints a markdown section for {@code
 * docs/BENCHMARKS.md}.
 *
 * <p>For each text tower (the from-scratch default tower, 4 layers × 256 with a 30,522-row word
 * table, and the pre-trained MiniLM-L6; both fully trained, {@link TextTraining#FULL}) and batch
 * size, it runs {@code rounds} × (reference, fused) trainings of {@code steps + 1} steps each on
 * the shipped embeddings, the kernel chosen by the system property {@code lit4j.adamw} that AdamW
 * reads when the trainer builds it. Each training's first step is dropped as warm-up. Pairs/s come
 * from the trainer's metrics log; the AdamW share is the summed duration of lit4j's JFR events
 * {@code dev.lit4j.OptimizerUpdate} over that of {@code dev.lit4j.TrainingStep} (a programmatic JFR
 * recording of just these two events; libtorch's CPU operations are synchronous, so an event's
 * duration is its work's).
 *
 * <pre>
 * java -Dai.djl.offline=true -Dlit4j.threads=1 -cp lit-bench/target/benchmarks.jar \
 *     dev.lit4j.bench.endtoend.AdamWComparison [--batches=256,1024] [--towers=default,minilm] \
 *     [--kernels=reference,fused] [--steps=4] [--rounds=2] [--out=FILE]
 * </pre>
 *
 * <p>Run from the repository root ({@code -Ddata=DIR} overrides {@code lit-examples/data}). The
 * libtorch thread counts in effect ({@link EngineThreads}) and the load average at start and end
 * are part of the report; for a thread-count comparison run it once per {@code -Dlit4j.threads}
 * (libtorch fixes its pools per process).
 */
public final class AdamWComparison {
  private static final String KERNEL_PROPERTY = "lit4j.adamw";
  private static final String STEP_EVENT = "dev.lit4j.TrainingStep";
  private static final String UPDATE_EVENT = "dev.lit4j.OptimizerUpdate";
  private static final List<String> KERNELS = List.of("reference", "fused");

  private static List<String> kernels = KERNELS;

  private AdamWComparison() {}

  /** One training's measurements: pairs/s per step, and the AdamW share of the step time. */
  private record Run(double[] pairsPerSecond, double adamSeconds, double stepSeconds) {
    double adamShare() {
      return adamSeconds / stepSeconds;
    }
  }

  /**
   * Runs the comparison.
   *
   * @param args {@code --batches=…}, {@code --towers=…}, {@code --kernels=…}, {@code --steps=N},
   *     {@code --rounds=N}, {@code --out=FILE}
   * @throws IOException if the shipped data cannot be read or a temporary file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    int[] batches = {256, 1024};
    List<String> towers = List.of("default", "minilm");
    int steps = 4;
    int rounds = 2;
    String out = null;
    for (String a : args) {
      if (a.startsWith("--batches=")) {
        batches = Arrays.stream(a.substring(10).split(",")).mapToInt(Integer::parseInt).toArray();
      } else if (a.startsWith("--towers=")) {
        towers = List.of(a.substring(9).split(","));
      } else if (a.startsWith("--steps=")) {
        steps = Integer.parseInt(a.substring(8));
      } else if (a.startsWith("--rounds=")) {
        rounds = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--kernels=")) {
        kernels = List.of(a.substring(10).split(","));
        if (!KERNELS.containsAll(kernels)) {
          throw new IllegalArgumentException(
              "unknown kernel in '" + a + "'; expected 'reference' and/or 'fused'");
        }
      } else if (a.startsWith("--out=")) {
        out = a.substring(6);
      } else {
        throw new IllegalArgumentException(
            "unknown argument '"
                + a
                + "'; expected --batches=, --towers=, --kernels=, --steps=, --rounds=, --out=");
      }
    }
    for (String t : towers) {
      if (!t.equals("default") && !t.equals("minilm")) {
        throw new IllegalArgumentException(
            "unknown tower '" + t + "'; expected 'default' and/or 'minilm'");
      }
    }
    Path data = Path.of(System.getProperty("data", "lit-examples/data"));
    Path work = Files.createTempDirectory("lit4j-adamw-");
    try {
      String report = run(data, work, batches, towers, steps, rounds);
      System.out.println(report);
      if (out != null) {
        Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
      }
    } finally {
      try (Stream<Path> paths = Files.walk(work)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static String run(
      Path data, Path work, int[] batches, List<String> towers, int steps, int rounds)
      throws IOException {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadStart = LoadAverage.now();
    EngineThreads.Counts threads = EngineThreads.current();
    StringBuilder table = new StringBuilder();
    int dimension;
    table.append(
        "| tower | B | kernel | pairs/s median (range) | AdamW share of step, median (range)"
            + " | fused / reference |\n|---|---|---|---|---|---|\n");
    try (MobileNetV2Tower imageTower = MobileNetV2Tower.load()) {
      PairedEmbeddings pairs = TrainingThroughput.shippedPairs(data, imageTower);
      dimension = imageTower.dimension();
      for (String tower : towers) {
        for (int batch : batches) {
          Map<String, List<Run>> byKernel = new LinkedHashMap<>();
          for (int r = 0; r < rounds; r++) {
            for (String kernel : kernels) {
              System.setProperty(KERNEL_PROPERTY, kernel);
              Run run = train(tower, batch, steps, imageTower, pairs, work);
              byKernel.computeIfAbsent(kernel, k -> new ArrayList<>()).add(run);
              System.err.printf(
                  Locale.ROOT,
                  "[adamw] %s B=%d %s round %d: pairs/s %s, AdamW %.1f %% (load %s)%n",
                  tower,
                  batch,
                  kernel,
                  r + 1,
                  Arrays.toString(run.pairsPerSecond()),
                  100 * run.adamShare(),
                  LoadAverage.now());
            }
          }
          System.clearProperty(KERNEL_PROPERTY);
          double referenceMedian = Double.NaN;
          for (String kernel : kernels) {
            List<Run> runs = byKernel.get(kernel);
            Samples rate =
                new Samples(
                    runs.stream()
                        .flatMapToDouble(x -> Arrays.stream(x.pairsPerSecond()))
                        .toArray());
            Samples share =
                new Samples(runs.stream().mapToDouble(x -> 100 * x.adamShare()).toArray());
            if (kernel.equals("reference")) {
              referenceMedian = rate.median();
            }
            table.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %s (%s) | %s %% (%s) | %s |%n",
                    tower.equals("default") ? "default (4×256)" : "MiniLM-L6 (6×384)",
                    batch,
                    kernel,
                    Samples.format(rate.median()),
                    rate.spread(),
                    Samples.format(share.median()),
                    share.spread(),
                    kernel.equals("reference")
                        ? "1"
                        : Double.isNaN(referenceMedian)
                            ? "—"
                            : String.format(
                                Locale.ROOT, "%.2f×", rate.median() / referenceMedian)));
          }
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "### AdamW kernels, %s%n%nlibtorch threads: %s. Load average (1, 5, 15 min) at start %s, at"
            + " end %s. %d rounds × (reference, fused), %d measured steps each after one warm-up"
            + " step; full text training, softmax loss, D = %d.%n%n%s",
        start,
        threads,
        loadStart,
        LoadAverage.now(),
        rounds,
        steps,
        dimension,
        table);
  }

  private static Run train(
      String tower,
      int batch,
      int steps,
      MobileNetV2Tower imageTower,
      PairedEmbeddings pairs,
      Path work)
      throws IOException {
    Path out = Files.createTempDirectory(work, "train-");
    TrainerConfig config =
        TrainerConfig.builder(out)
            .batchSize(batch)
            .steps(steps + 1)
            .warmupSteps(0)
            .textTraining(TextTraining.FULL)
            .build();
    Path jfr = out.resolve("events.jfr");
    try (TransformerTextTower text = textTower(tower, imageTower.dimension());
        Recording recording = new Recording()) {
      recording.enable(STEP_EVENT).withThreshold(java.time.Duration.ZERO);
      recording.enable(UPDATE_EVENT).withThreshold(java.time.Duration.ZERO);
      try (PyTorchContrastiveTrainer trainer =
          PyTorchContrastiveTrainer.builder(text, imageTower, config).build()) {
        recording.start();
        trainer.train(pairs);
        recording.stop();
      }
      recording.dump(jfr);
    }
    List<StepMetrics> metrics = MetricsLog.read(config.metricsFile()).steps();
    double[] rates =
        metrics.subList(1, metrics.size()).stream()
            .mapToDouble(StepMetrics::pairsPerSecond)
            .toArray();
    // Events of the warm-up step (the first step and the first update) are dropped too.
    List<Double> stepSeconds = new ArrayList<>();
    List<Double> updateSeconds = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      double seconds = e.getDuration().toNanos() / 1e9;
      String name = e.getEventType().getName();
      if (name.equals(STEP_EVENT)) {
        stepSeconds.add(seconds);
      } else if (name.equals(UPDATE_EVENT)) {
        updateSeconds.add(seconds);
      }
    }
    if (stepSeconds.size() != steps + 1 || updateSeconds.size() != steps + 1) {
      throw new IllegalStateException(
          "expected "
              + (steps + 1)
              + " step and update events, got "
              + stepSeconds.size()
              + " and "
              + updateSeconds.size());
    }
    double step = stepSeconds.subList(1, stepSeconds.size()).stream().mapToDouble(x -> x).sum();
    double adam = updateSeconds.subList(1, updateSeconds.size()).stream().mapToDouble(x -> x).sum();
    return new Run(rates, adam, step);
  }

  private static TransformerTextTower textTower(String tower, int dimension) throws IOException {
    if (tower.equals("minilm")) {
      return AllMiniLmL6V2.loadTower(dimension);
    }
    TextTowerConfig config = TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, dimension).build();
    try (InputStream json = AllMiniLmL6V2.openTokenizerJson()) {
      return TransformerTextTower.create(config, TextTokenizer.load(json, config.maxLength()));
    }
  }
}
