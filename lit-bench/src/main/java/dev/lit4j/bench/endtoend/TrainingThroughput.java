package dev.lit4j.bench.endtoend;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.model.ImageTower;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Training throughput: a few real {@link PyTorchContrastiveTrainer} steps on the shipped embedding
 * stores, pairs per second read back from the metrics log the trainer writes (as lit-pytorch's
 * {@code TrainerThroughputMain} does). The first step of each run is the warm-up and is dropped.
 */
final class TrainingThroughput {
  private final ImageTower imageTower;
  private final PairedEmbeddings data;
  private final Path workDir;

  TrainingThroughput(ImageTower imageTower, PairedEmbeddings data, Path workDir) {
    this.imageTower = imageTower;
    this.data = data;
    this.workDir = workDir;
  }

  /**
   * Reads the shipped stores (openclipart, then tuxpaint) with their captions into one data set, so
   * that a batch of 4096 fits.
   */
  static PairedEmbeddings shippedPairs(Path dataDir, ImageTower tower) throws IOException {
    List<PairedEmbeddings> parts = new ArrayList<>();
    for (String name : List.of("openclipart", "tuxpaint")) {
      Path dir = dataDir.resolve(name);
      try (EmbeddingStore store = EmbeddingStore.open(dir.resolve("store"), tower.identity())) {
        parts.add(PairedEmbeddings.fromStore(store, dir.resolve("captions.jsonl")));
      }
    }
    int d = tower.dimension();
    int n = parts.stream().mapToInt(PairedEmbeddings::size).sum();
    float[] all = new float[n * d];
    List<List<String>> captions = new ArrayList<>(n);
    int offset = 0;
    for (PairedEmbeddings p : parts) {
      float[] v = p.images().matrix().toArray();
      System.arraycopy(v, 0, all, offset, v.length);
      offset += v.length;
      captions.addAll(p.captions());
    }
    return new PairedEmbeddings(
        EmbeddingMatrix.normalising(FloatMatrix.wrap(n, d, all)),
        captions,
        Optional.of(tower.identity()));
  }

  /** Trains the from-scratch default tower (4 layers, width 256, 16 tokens). */
  Row defaultTower(int batch, int measuredSteps) throws IOException {
    TextTowerConfig config =
        TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, imageTower.dimension()).build();
    try (InputStream json = AllMiniLmL6V2.openTokenizerJson();
        TransformerTextTower tower =
            TransformerTextTower.create(config, TextTokenizer.load(json, config.maxLength()))) {
      return row("default tower (4×256, 16 tokens)", tower, batch, measuredSteps);
    }
  }

  /** Trains the pre-trained MiniLM-L6 tower (6 layers, width 384, 16 tokens). */
  Row miniLm(int batch, int measuredSteps) throws IOException {
    try (TransformerTextTower tower = AllMiniLmL6V2.loadTower(imageTower.dimension())) {
      return row("MiniLM-L6 (6×384, 16 tokens)", tower, batch, measuredSteps);
    }
  }

  private Row row(String name, TransformerTextTower tower, int batch, int measuredSteps)
      throws IOException {
    Path out = Files.createTempDirectory(workDir, "train-b" + batch + "-");
    TrainerConfig config =
        TrainerConfig.builder(out).batchSize(batch).steps(measuredSteps + 1).warmupSteps(0).build();
    try (PyTorchContrastiveTrainer trainer =
        PyTorchContrastiveTrainer.builder(tower, imageTower, config).build()) {
      trainer.train(data);
    }
    List<StepMetrics> steps = MetricsLog.read(config.metricsFile()).steps();
    double[] rates =
        steps.subList(1, steps.size()).stream().mapToDouble(StepMetrics::pairsPerSecond).toArray();
    return new Row(
        "training: " + name,
        "B = " + batch + ", D = " + imageTower.dimension() + ", softmax",
        new Samples(rates),
        "pairs/s",
        "one step each (forward, loss, backward, AdamW); first step dropped as warm-up");
  }
}
