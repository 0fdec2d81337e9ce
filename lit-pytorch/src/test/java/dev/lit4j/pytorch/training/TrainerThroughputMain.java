package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDManager;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measurements, not a test: training throughput of the default text tower at several batch sizes,
 * and the peak memory of one chunked loss step at {@code B = 65536}, {@code D = 576}.
 *
 * <pre>
 * java -cp … dev.lit4j.pytorch.training.TrainerThroughputMain throughput 256 1024 4096
 * java -Dreplicas=2 -cp … dev.lit4j.pytorch.training.TrainerThroughputMain throughput 1024
 * java -cp … dev.lit4j.pytorch.training.TrainerThroughputMain chunked-memory 65536 576 1024
 * </pre>
 *
 * <p>{@code -Dreplicas=G} trains data-parallel over {@code G} replicas on the CPU: no faster than
 * one (they share the cores), it measures the overhead of the multi-device path.
 *
 * <p>libtorch's CPU threads follow {@code -Dlit4j.threads} (default 1; see {@link
 * dev.lit4j.pytorch.EngineThreads}): on a small machine shared with other processes, its OpenMP
 * threads wait on each other in every element-wise op, so compare {@code -Dlit4j.threads=1} with
 * the machine's core count.
 */
final class TrainerThroughputMain {
  private static final int D = 576;

  private TrainerThroughputMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("throughput")) {
      for (int i = 1; i < args.length; i++) {
        throughput(Integer.parseInt(args[i]));
      }
    } else {
      chunkedMemory(
          Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }
  }

  /** Trains the default tower (4 layers, width 256, 16 tokens) for 3 steps; prints pairs/s. */
  private static void throughput(int b) throws Exception {
    int replicas = Integer.getInteger("replicas", 1);
    Random r = new Random(b);
    int n = b;
    float[] v = new float[n * D];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    List<List<String>> captions = new ArrayList<>();
    List<String> words = TrainerFixtures.CLASSES;
    for (int i = 0; i < n; i++) {
      captions.add(
          List.of(
              "a photo of a "
                  + words.get(i % words.size())
                  + " next to a "
                  + words.get((i / 8) % words.size())
                  + " number "
                  + i));
    }
    PairedEmbeddings data =
        new PairedEmbeddings(EmbeddingMatrix.normalising(FloatMatrix.wrap(n, D, v)), captions);
    Path out = Files.createTempDirectory("throughput");
    TrainerConfig config = TrainerConfig.builder(out).batchSize(b).steps(3).warmupSteps(0).build();
    TextTowerConfig towerConfig = TextTowerConfig.builder(30522, D).build();
    try (InputStream in =
            TrainerThroughputMain.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json");
        TransformerTextTower text =
            TransformerTextTower.create(
                towerConfig, TextTokenizer.load(in, towerConfig.maxLength()));
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config)
                .devices(java.util.Collections.nCopies(replicas, ComputeDevice.cpu()))
                .build()) {
      long t0 = System.nanoTime();
      trainer.train(data);
      double wall = (System.nanoTime() - t0) / 1e9;
      List<StepMetrics> steps = MetricsLog.read(config.metricsFile()).steps();
      double[] rates =
          steps.subList(1, steps.size()).stream()
              .mapToDouble(StepMetrics::pairsPerSecond)
              .toArray();
      Arrays.sort(rates);
      System.out.printf(
          "B=%d replicas=%d tower=%s: pairs/s per step (after the first) %s, median %.1f; whole run %.1f s%n",
          b,
          replicas,
          towerConfig.layers() + "x" + towerConfig.width(),
          Arrays.toString(rates),
          rates[rates.length / 2],
          wall);
    }
  }

  /** One chunked softmax step whose "text tower" is a [B, D] table; prints peak RSS. */
  private static void chunkedMemory(int b, int d, int chunk) {
    long before = peakRssKiB();
    Random r = new Random(1);
    float[] x = new float[b * d];
    float[] y = new float[b * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian() / (float) Math.sqrt(d);
      y[i] = (float) r.nextGaussian() / (float) Math.sqrt(d);
    }
    List<String> ids = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      ids.add(Integer.toString(i));
    }
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).batchSize(b).lossChunkSize(chunk).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      TrainableTextTower tower = new TableTower(manager, y, d);
      long afterInputs = peakRssKiB();
      try (ContrastiveStep step =
              new ContrastiveStep(
                  config, tower, d, BatchLoss.of(LossKind.SOFTMAX, chunk), manager);
          AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
        long t0 = System.nanoTime();
        ContrastiveStep.Outcome o = step.run(x, ids, 1e-3, adam, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = peakRssKiB();
        System.out.printf(
            "B=%d D=%d chunk=%d: loss %.4f, step %.1f s; peak RSS %d MiB at start, %d MiB with"
                + " inputs, %d MiB after the step (full B×B float32 logits alone would be %d MiB)%n",
            b,
            d,
            chunk,
            o.loss(),
            seconds,
            before / 1024,
            afterInputs / 1024,
            after / 1024,
            (long) b * b * 4 / (1024 * 1024));
      }
    }
  }

  private static long peakRssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return -1;
  }
}
