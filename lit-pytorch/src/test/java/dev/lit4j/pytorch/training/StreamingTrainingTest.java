package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreWriter;
import dev.lit4j.store.StoreDtype;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.StoredPairs;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Training from a memory-mapped store ({@link StoredPairs}, batches read by index on a background
 * thread) against training on the same store read into memory ({@link PairedEmbeddings#fromStore}):
 * same seed, same order, so the same losses step for step.
 */
class StreamingTrainingTest {
  private static final int D = 16;
  private static final int N = 64;

  @TempDir Path dir;

  private final LockedImageTower imageTower = new LockedImageTower(D, 9);

  /** Writes the fixture pairs as a store of {@code dtype} and a captions file; returns the file. */
  private Path writeStoreAndCaptions(Path store, StoreDtype dtype) throws IOException {
    PairedEmbeddings pairs =
        TrainerFixtures.pairs(TrainerFixtures.prototypes(8, D, 21), N, 0.8, 22);
    TowerIdentity identity = imageTower.identity();
    List<String> lines = new ArrayList<>();
    try (EmbeddingStoreWriter w =
        EmbeddingStoreWriter.create(store, identity, D, "fixture", dtype)) {
      for (int i = 0; i < N; i++) {
        w.add("im" + i, "p" + i, Embedding.of(pairs.images().matrix().row(i)));
        List<String> c = pairs.captions().get(i);
        // Half of each image's captions on one line as an array, the rest on lines of their own.
        lines.add(
            "{\"id\": \"im"
                + i
                + "\", \"captions\": [\""
                + c.get(0)
                + "\", \""
                + c.get(1)
                + "\"]}");
        for (String caption : c.subList(2, c.size())) {
          lines.add("{\"id\": \"im" + i + "\", \"caption\": \"" + caption + "\"}");
        }
      }
      w.finish();
    }
    return Files.write(dir.resolve("captions-" + dtype + ".jsonl"), lines);
  }

  private TrainerConfig config(String name, TextTraining training) {
    // 10 steps of 16 out of 64 images: two and a half epochs, so epoch boundaries are crossed.
    return TrainerConfig.builder(dir.resolve(name))
        .batchSize(16)
        .steps(10)
        .warmupSteps(2)
        .seed(5)
        .textTraining(training)
        .build();
  }

  private List<StepMetrics> train(TrainingPairs data, TrainerConfig config) throws IOException {
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, imageTower, config).build()) {
      t.train(data);
    }
    return MetricsLog.read(config.metricsFile()).steps();
  }

  @ParameterizedTest
  @EnumSource(StoreDtype.class)
  void streamedTraining_equalsInMemoryTraining_stepForStep(StoreDtype dtype) throws IOException {
    Path store = dir.resolve("store");
    Path captions = writeStoreAndCaptions(store, dtype);
    List<StepMetrics> inMemory;
    List<StepMetrics> streamed;
    try (EmbeddingStore s = EmbeddingStore.open(store, imageTower.identity())) {
      inMemory =
          train(PairedEmbeddings.fromStore(s, captions), config("memory", TextTraining.FULL));
      try (StoredPairs pairs = StoredPairs.open(s, captions)) {
        streamed = train(pairs, config("stream", TextTraining.FULL));
      }
    }
    assertEquals(10, inMemory.size());
    assertEquals(inMemory.size(), streamed.size());
    for (int i = 0; i < inMemory.size(); i++) {
      // Same rows, same captions, same order, same arithmetic: the same bits on the CPU.
      assertEquals(inMemory.get(i).loss(), streamed.get(i).loss(), 0.0, "loss at step " + (i + 1));
      assertEquals(inMemory.get(i).epoch(), streamed.get(i).epoch(), "epoch at step " + (i + 1));
      assertEquals(
          inMemory.get(i).gradientNorm(),
          streamed.get(i).gradientNorm(),
          0.0,
          "gradient norm at step " + (i + 1));
    }
    assertTrue(inMemory.get(0).loss() != inMemory.get(9).loss(), "the losses change: it did train");
    assertFalse(readerAlive(), "the batch reader thread was left running");
  }

  /**
   * Projection-only training encodes streamed captions batch by batch instead of all at once up
   * front; the pooled features are the same up to float32 rounding of differently padded batches.
   */
  @Test
  void streamedProjectionTraining_matchesInMemory() throws IOException {
    Path store = dir.resolve("store");
    Path captions = writeStoreAndCaptions(store, StoreDtype.FLOAT32);
    List<StepMetrics> inMemory;
    List<StepMetrics> streamed;
    try (EmbeddingStore s = EmbeddingStore.open(store, imageTower.identity())) {
      inMemory =
          train(PairedEmbeddings.fromStore(s, captions), config("memory", TextTraining.PROJECTION));
      try (StoredPairs pairs = StoredPairs.open(s, captions)) {
        streamed = train(pairs, config("stream", TextTraining.PROJECTION));
      }
    }
    assertEquals(inMemory.size(), streamed.size());
    for (int i = 0; i < inMemory.size(); i++) {
      double a = inMemory.get(i).loss();
      assertEquals(a, streamed.get(i).loss(), 1e-5 * Math.abs(a), "loss at step " + (i + 1));
    }
  }

  /** A failure on the reader thread reaches the caller with its cause, and the thread stops. */
  @Test
  void train_whenABatchCannotBeRead_throwsWithTheCause_andStopsTheReader() throws IOException {
    PairedEmbeddings pairs =
        TrainerFixtures.pairs(TrainerFixtures.prototypes(8, D, 21), N, 0.8, 22);
    IllegalArgumentException broken = new IllegalArgumentException("caption 3 of image 7 is gone");
    TrainingPairs failing =
        new TrainingPairs() {
          @Override
          public int size() {
            return pairs.size();
          }

          @Override
          public int dimension() {
            return pairs.dimension();
          }

          @Override
          public Optional<TowerIdentity> imageIdentity() {
            return Optional.empty();
          }

          @Override
          public void imageRows(int[] images, float[] out) {
            pairs.imageRows(images, out);
          }

          @Override
          public int captionCount(int image) {
            return pairs.captionCount(image);
          }

          @Override
          public String caption(int image, int which) {
            if (image == 7) {
              throw broken;
            }
            return pairs.caption(image, which);
          }
        };
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> train(failing, config("fail", TextTraining.FULL)));
    assertSame(broken, e.getCause());
    assertTrue(e.getMessage().contains("reading the batch of step"), e.getMessage());
    assertFalse(readerAlive(), "the batch reader thread was left running");
  }

  private static boolean readerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("lit4j-batch-reader") && t.isAlive());
  }
}
