package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.model.LitModel;
import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TinyPretrainedEncoder;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextTraining#PROJECTION}: the encoder stays locked, the projection learns. */
class ProjectionTrainingTest {
  private static final int D = 16;

  @TempDir Path dir;

  private static TrainerConfig.Builder config(Path dir) {
    return TrainerConfig.builder(dir)
        .textTraining(TextTraining.PROJECTION)
        .batchSize(32)
        .epochs(12)
        .warmupSteps(5)
        .learningRate(1e-2)
        .seed(5);
  }

  @Test
  void train_movesOnlyTheProjection_learns_andSavesAReferenceToTheEncoder() throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(8, D, 11);
    PairedEmbeddings train = TrainerFixtures.pairs(prototypes, 256, 0.8, 12);
    ZeroShotSet heldOut = TrainerFixtures.heldOut(prototypes, 160, 0.8, 13);
    TrainerConfig config = config(dir).build();
    LockedImageTower imageTower = new LockedImageTower(D, 99);
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 1);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, config).build()) {
      Map<String, FloatTensor> before = text.weights();
      double accuracyBefore = accuracy(text, imageTower, heldOut);
      TrainingResult result = trainer.train(train);
      double after = accuracy(text, imageTower, heldOut);
      Map<String, FloatTensor> trained = text.weights();
      for (String name : before.keySet()) {
        boolean projection = name.startsWith("projection.");
        boolean same =
            java.util.Arrays.equals(before.get(name).toArray(), trained.get(name).toArray());
        assertEquals(!projection, same, name + (projection ? " must train" : " must stay locked"));
      }
      assertTrue(
          after >= 0.5 && after > accuracyBefore + 0.2,
          "held-out zero-shot top-1 " + accuracyBefore + " -> " + after + " (chance 0.125)");
      // Only the projection is stored; the encoder is a reference to its artifact.
      Path weights = result.modelDirectory().resolve("text-tower/text-tower.safetensors");
      assertTrue(
          Files.size(weights) < 8_000, "projection-only weights file: " + Files.size(weights));
      try (LitModel model = LitModel.load(result.modelDirectory())) {
        double loaded =
            ClassificationMetrics.evaluate(
                    ZeroShotClassifier.of(model, heldOut.classNames())
                        .classifyAll(heldOut.images()),
                    heldOut.trueClasses())
                .top1();
        assertEquals(after, loaded, 1e-12, "the saved model classifies as the trained one");
      }
    }
  }

  @Test
  void train_resumedFromACheckpoint_repeatsTheLossesBitForBit() throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(4, D, 21);
    PairedEmbeddings train = TrainerFixtures.pairs(prototypes, 128, 0.8, 22);
    LockedImageTower imageTower = new LockedImageTower(D, 98);
    TrainerConfig straight = config(dir.resolve("straight")).epochs(4).build();
    TrainerConfig interrupted =
        config(dir.resolve("interrupted")).epochs(4).checkpointEvery(6).build();
    float[] expected;
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 2);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, straight).build()) {
      trainer.train(train);
      expected = text.weights().get("projection.weight").toArray();
    }
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 2);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, interrupted)
                .progress(new CrashAfterStep(7))
                .build()) {
      assertThrows(IllegalStateException.class, () -> trainer.train(train));
    }
    Path checkpoint =
        PyTorchContrastiveTrainer.latestCheckpoint(interrupted.checkpointDirectory()).orElseThrow();
    assertEquals("step-000000006", checkpoint.getFileName().toString());
    // A fresh process: a new tower (captions are encoded again) resumed from the checkpoint.
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 2);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, interrupted)
                .resumeFrom(checkpoint)
                .build()) {
      trainer.train(train);
      assertArrayEquals(expected, text.weights().get("projection.weight").toArray());
    }
  }

  /** Simulates a crash once {@code step} training steps are done (caption encoding ignored). */
  private record CrashAfterStep(int step) implements ProgressListener {
    @Override
    public void onUpdate(Progress progress) {
      if (progress.unit().equals("steps") && progress.done() == step) {
        throw new IllegalStateException("simulated crash after step " + step);
      }
    }

    @Override
    public void onFinish(Progress progress) {}
  }

  @Test
  void train_withASharedCaptionCache_encodesOnce_andLearnsTheSame() throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(4, D, 31);
    PairedEmbeddings train = TrainerFixtures.pairs(prototypes, 96, 0.8, 32);
    LockedImageTower imageTower = new LockedImageTower(D, 96);
    CaptionFeatureCache cache = CaptionFeatureCache.create();
    float[] alone;
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 4);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, config(dir.resolve("a")).build())
                .build()) {
      trainer.train(train);
      alone = text.weights().get("projection.weight").toArray();
    }
    for (String run : List.of("b", "c")) {
      try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 4);
          PyTorchContrastiveTrainer trainer =
              PyTorchContrastiveTrainer.builder(text, imageTower, config(dir.resolve(run)).build())
                  .captionFeatureCache(cache)
                  .build()) {
        trainer.train(train);
        assertArrayEquals(alone, text.weights().get("projection.weight").toArray(), run);
      }
    }
    long distinct = train.captions().stream().flatMap(List::stream).distinct().count();
    assertEquals(distinct, cache.size(), "one entry per distinct caption, shared by both runs");
  }

  @Test
  void build_withACacheOfAnotherEncoder_isRefused() throws Exception {
    LockedImageTower imageTower = new LockedImageTower(D, 95);
    CaptionFeatureCache cache = CaptionFeatureCache.create();
    try (TransformerTextTower first = TinyPretrainedEncoder.tower(D, 5);
        PyTorchContrastiveTrainer unused =
            PyTorchContrastiveTrainer.builder(first, imageTower, config(dir).build())
                .captionFeatureCache(cache)
                .build();
        TransformerTextTower other = TrainerFixtures.tinyTower(D, 6)) {
      PyTorchContrastiveTrainer.Builder b =
          PyTorchContrastiveTrainer.builder(other, imageTower, config(dir).build())
              .captionFeatureCache(cache);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
      assertTrue(e.getMessage().contains("another encoder"), e.getMessage());
    }
  }

  @Test
  void build_withSeveralDevices_isRefusedAndSaysWhy() throws Exception {
    LockedImageTower imageTower = new LockedImageTower(D, 97);
    try (TransformerTextTower text = TinyPretrainedEncoder.tower(D, 3)) {
      PyTorchContrastiveTrainer.Builder b =
          PyTorchContrastiveTrainer.builder(text, imageTower, config(dir).build())
              .devices(List.of(ComputeDevice.cpu(), ComputeDevice.cpu()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
      assertTrue(
          e.getMessage().contains("one device") && e.getMessage().contains("2"), e.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("model")));
  }

  private static double accuracy(
      TransformerTextTower text, LockedImageTower image, ZeroShotSet set) {
    return TrainingRunTest.accuracy(text, image, set);
  }
}
