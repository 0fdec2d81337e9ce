package dev.lit4j.bench.streaming;

import dev.lit4j.bench.report.LoadAverage;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.StoredPairs;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingPairs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streaming training against in-memory training, printed as a markdown section for {@code
 * docs/BENCHMARKS.md}: {@link PyTorchContrastiveTrainer} steps of the from-scratch default text
 * tower ({@link TextTowerConfig} defaults, full training, softmax loss) at B = 256, D = 576, (a) on
 * {@link StoredPairs} over a synthetic float16 store of 20 million rows (about 23 GB, larger than
 * the heap and than this machine's memory), read batch by batch from the memory-mapped store and
 * the captions file, and (b) on {@link PairedEmbeddings} of a small store (100,000 rows of the same
 * generator) read into memory with {@link PairedEmbeddings#fromStore}.
 *
 * <p>The two run interleaved, a round of each at a time (streamed, in memory, streamed, …), each
 * round a fresh tower and trainer whose first step is dropped as warm-up, so that load changes on a
 * shared machine hit both alike. Pairs/s per step are read back from the trainer's metrics log;
 * they time the whole step including the wait for its batch. The report gives median, quartiles and
 * range per side, the ratio of the medians, the peak heap used during each side (sampled every 20
 * ms), and the wall time of generating the data and of building the caption index.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -Xmx2g -Dai.djl.offline=true -cp lit-bench/target/benchmarks.jar \
 *     dev.lit4j.bench.streaming.StreamingTrainingBenchmark /work/bigstore [--rows=20000000] \
 *     [--small-rows=100000] [--rounds=4] [--steps=50] [--out=FILE]
 * </pre>
 *
 * <p>The directory receives the large data set ({@code store/}, {@code captions.jsonl}, and the
 * caption index beside it) and the small one ({@code small-<rows>/}); both are generated if absent
 * (about 20 minutes and 24 GB for 20 million rows; never commit them) and reused otherwise. {@code
 * --steps} is the measured steps per round. {@code quick} shrinks everything (20,000 rows, 2 rounds
 * of 3 steps at B = 64) to check the program works; its numbers are not for the report.
 */
public final class StreamingTrainingBenchmark {
  static final int DIMENSION = 576;
  static final long SEED = 20261130L;

  private StreamingTrainingBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args the data directory, then options as in the class documentation
   * @throws IOException if the data cannot be written or read
   */
  public static void main(String[] args) throws IOException {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (args.length == 0) {
      System.err.println(
          "usage: StreamingTrainingBenchmark DIR [quick] [--rows=N] [--small-rows=N] [--rounds=R]"
              + " [--steps=S] [--out=FILE]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    boolean quick = Arrays.asList(args).contains("quick");
    int rows = option(args, "rows", quick ? 20_000 : 20_000_000);
    int smallRows = option(args, "small-rows", quick ? 2_000 : 100_000);
    int rounds = option(args, "rounds", quick ? 2 : 4);
    int steps = option(args, "steps", quick ? 3 : 50);
    int batch = option(args, "batch", quick ? 64 : 256);
    String out = null;
    for (String a : args) {
      if (a.startsWith("--out=")) {
        out = a.substring("--out=".length());
      }
    }
    String report = run(dir, rows, smallRows, rounds, steps, batch);
    System.out.println(report);
    if (out != null) {
      Files.writeString(Path.of(out), report);
    }
  }

  private static int option(String[] args, String name, int fallback) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return Integer.parseInt(a.substring(name.length() + 3).replace("_", ""));
      }
    }
    return fallback;
  }

  static String run(Path dir, int rows, int smallRows, int rounds, int steps, int batch)
      throws IOException {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadStart = LoadAverage.now();
    Path smallDir = dir.resolve("small-" + smallRows);
    HeapPeak heap = HeapPeak.start();
    try (ColourImageTower imageTower = ColourImageTower.seeded(DIMENSION, SEED)) {
      double generateBig =
          SyntheticPairs.generateIfAbsent(dir, rows, imageTower.identity(), DIMENSION, SEED);
      double generateSmall =
          SyntheticPairs.generateIfAbsent(
              smallDir, smallRows, imageTower.identity(), DIMENSION, SEED + 1);
      Path work = Files.createTempDirectory("lit4j-streaming-bench-");
      try (EmbeddingStore big =
              EmbeddingStore.open(dir.resolve(SyntheticPairs.STORE), imageTower.identity());
          EmbeddingStore small =
              EmbeddingStore.open(smallDir.resolve(SyntheticPairs.STORE), imageTower.identity())) {
        System.gc();
        heap.reset();
        long t0 = System.nanoTime();
        StoredPairs streamed = StoredPairs.open(big, dir.resolve(SyntheticPairs.CAPTIONS));
        double indexSeconds = (System.nanoTime() - t0) / 1e9;
        long indexHeap = heap.reset();
        Path smallCaptions = smallDir.resolve(SyntheticPairs.CAPTIONS);
        double loadSeconds = 0;
        List<Double> streamedRates = new ArrayList<>();
        List<Double> memoryRates = new ArrayList<>();
        long streamedPeak = 0;
        long memoryPeak = 0;
        long[] streamedRetained = {0};
        long[] memoryRetained = {0};
        try (streamed) {
          for (int r = 0; r < rounds; r++) {
            heap.reset();
            streamedRates.addAll(
                round(streamed, imageTower, work, batch, steps, "stream-" + r, streamedRetained));
            streamedPeak = Math.max(streamedPeak, heap.reset());
            // Read into memory for its own rounds only, so the streamed rounds' heap excludes it.
            t0 = System.nanoTime();
            PairedEmbeddings inMemory = PairedEmbeddings.fromStore(small, smallCaptions);
            loadSeconds = Math.max(loadSeconds, (System.nanoTime() - t0) / 1e9);
            memoryRates.addAll(
                round(inMemory, imageTower, work, batch, steps, "memory-" + r, memoryRetained));
            memoryPeak = Math.max(memoryPeak, heap.reset());
            System.err.printf(
                Locale.ROOT,
                "round %d: streamed median %.1f pairs/s, in memory %.1f pairs/s%n",
                r + 1,
                median(streamedRates),
                median(memoryRates));
          }
        } finally {
          AtomicDirectory.deleteRecursively(work);
          heap.stop();
        }
        return report(
            start,
            loadStart,
            rows,
            smallRows,
            rounds,
            steps,
            batch,
            generateBig,
            generateSmall,
            indexSeconds,
            indexHeap,
            loadSeconds,
            streamedRates,
            memoryRates,
            streamedPeak,
            memoryPeak,
            streamedRetained[0],
            memoryRetained[0],
            Files.size(dir.resolve(SyntheticPairs.STORE).resolve("embeddings.npy")));
      }
    }
  }

  /**
   * One fresh tower and trainer, {@code steps + 1} steps; the pairs/s of all but the first. Records
   * in {@code retained[0]} the largest heap in use after a full collection at the end of the round,
   * with the data still open: what the data path keeps, without the garbage it made.
   */
  private static List<Double> round(
      TrainingPairs data,
      ColourImageTower imageTower,
      Path work,
      int batch,
      int steps,
      String name,
      long[] retained)
      throws IOException {
    Path out = work.resolve(name);
    TrainerConfig config =
        TrainerConfig.builder(out).batchSize(batch).steps(steps + 1).warmupSteps(0).build();
    TextTowerConfig towerConfig =
        TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, imageTower.dimension()).build();
    try (InputStream json = AllMiniLmL6V2.openTokenizerJson();
        TransformerTextTower tower =
            TransformerTextTower.create(
                towerConfig, TextTokenizer.load(json, towerConfig.maxLength()));
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(tower, imageTower, config).build()) {
      trainer.train(data);
      System.gc();
      retained[0] =
          Math.max(retained[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    List<StepMetrics> metrics = MetricsLog.read(config.metricsFile()).steps();
    List<Double> rates = new ArrayList<>();
    for (StepMetrics m : metrics.subList(1, metrics.size())) {
      rates.add(m.pairsPerSecond());
    }
    AtomicDirectory.deleteRecursively(out);
    return rates;
  }

  private static String report(
      Instant start,
      String loadStart,
      int rows,
      int smallRows,
      int rounds,
      int steps,
      int batch,
      double generateBig,
      double generateSmall,
      double indexSeconds,
      long indexHeap,
      double loadSeconds,
      List<Double> streamed,
      List<Double> memory,
      long streamedPeak,
      long memoryPeak,
      long streamedRetained,
      long memoryRetained,
      long storeBytes) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "### Streaming training (StreamingTrainingBenchmark)%n%n"
                + "Started %s; load average %s at start, %s at end; %d CPUs; max heap %d MiB;"
                + " OMP_NUM_THREADS=%s.%n%n"
                + "Default text tower (from scratch, full training), softmax, B = %d, D = 576;"
                + " %d interleaved rounds of %d measured steps per side (first step of each round"
                + " dropped).%n%n",
            start,
            loadStart,
            LoadAverage.now(),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20,
            System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
            batch,
            rounds,
            steps));
    s.append(
        "| data | pairs/s median | quartiles | range | peak heap used (sampled, with garbage) |"
            + " heap retained (after full GC, end of round) |\n");
    s.append("|---|---:|---:|---:|---:|---:|\n");
    s.append(
        row(
            String.format(
                Locale.ROOT,
                "streamed: StoredPairs, %,d rows, float16 store of %.2f GB",
                rows,
                storeBytes / 1e9),
            streamed,
            streamedPeak,
            streamedRetained));
    s.append(
        row(
            String.format(
                Locale.ROOT, "in memory: PairedEmbeddings.fromStore, %,d rows", smallRows),
            memory,
            memoryPeak,
            memoryRetained));
    double ratio = median(streamed) / median(memory);
    s.append(
        String.format(
            Locale.ROOT,
            "%nStreamed / in memory (medians): **%.3f** (%+.1f %%; target: within 10 %%).%n%n",
            ratio,
            (ratio - 1) * 100));
    s.append(
        String.format(
            Locale.ROOT,
            "Data: generating the large data set took %s, the small one %s; building the caption"
                + " index of the large one took %.1f s (peak heap used %d MiB); reading the small"
                + " one into memory took %.1f s.%n",
            generateBig == 0
                ? "nothing (reused)"
                : String.format(Locale.ROOT, "%.0f s", generateBig),
            generateSmall == 0
                ? "nothing (reused)"
                : String.format(Locale.ROOT, "%.0f s", generateSmall),
            indexSeconds,
            indexHeap >> 20,
            loadSeconds));
    return s.toString();
  }

  private static String row(String name, List<Double> rates, long peak, long retained) {
    double[] v = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %.1f – %.1f | %.1f – %.1f | %d MiB | %d MiB |%n",
        name,
        quantile(v, 0.5),
        quantile(v, 0.25),
        quantile(v, 0.75),
        v[0],
        v[v.length - 1],
        peak >> 20,
        retained >> 20);
  }

  private static double median(List<Double> values) {
    return quantile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
  }

  /** Linear interpolation between closest ranks of sorted {@code v}. */
  private static double quantile(double[] v, double q) {
    double at = q * (v.length - 1);
    int lo = (int) Math.floor(at);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (at - lo);
  }

  /** The largest heap use seen by a daemon thread that samples it every 20 ms. */
  private static final class HeapPeak {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private volatile long peak;
    private volatile boolean stopped;

    private HeapPeak() {
      sampler =
          new Thread(
              () -> {
                while (!stopped) {
                  peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      sampler.setDaemon(true);
    }

    static HeapPeak start() {
      HeapPeak h = new HeapPeak();
      h.sampler.start();
      return h;
    }

    /** Returns the peak since the last reset and starts a new one from the current use. */
    long reset() {
      long p = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      peak = memory.getHeapMemoryUsage().getUsed();
      return p;
    }

    void stop() {
      stopped = true;
      sampler.interrupt();
    }
  }
}
