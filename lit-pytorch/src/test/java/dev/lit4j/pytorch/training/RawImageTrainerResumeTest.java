package dev.lit4j.pytorch.training;

import static dev.lit4j.pytorch.training.RawImageTrainerTest.RESOLUTION;
import static dev.lit4j.pytorch.training.RawImageTrainerTest.captions;
import static dev.lit4j.pytorch.training.RawImageTrainerTest.images;
import static dev.lit4j.pytorch.training.RawImageTrainerTest.textTower;
import static dev.lit4j.pytorch.training.RawImageTrainerTest.textWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.pytorch.weights.Safetensors;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RawImageTrainer}'s outputs and resume: the metrics log, the plot, checkpoints with the
 * unlocked tower's moving statistics, a resumed run that repeats the uninterrupted one bit for bit,
 * and resumes refused for other image settings. Eight generated 64 px images, batch 4, 6 steps (3
 * epochs), a one-layer text tower and the real MobileNetV2.
 */
class RawImageTrainerResumeTest {
  private static final int STEPS = 6;

  @TempDir Path dir;

  private static TrainerConfig config(Path out) {
    return TrainerConfig.builder(out)
        .batchSize(4)
        .steps(STEPS)
        .warmupSteps(2)
        .learningRate(1e-3)
        .seed(7)
        .checkpointEvery(2)
        .build();
  }

  private static RawImageTrainingResult run(
      TrainableMobileNetV2 image,
      TransformerTextTower text,
      TrainerConfig config,
      ImageTraining training,
      ProgressListener progress,
      Path resumeFrom)
      throws IOException {
    RawImageTrainer.Builder b =
        RawImageTrainer.builder(image, text, config, training, RESOLUTION).progress(progress);
    if (resumeFrom != null) {
      b.resumeFrom(resumeFrom);
    }
    try (RawImageTrainer trainer = b.build()) {
      return trainer.train(ImageCaptionPairs.ofImages(images(), captions()));
    }
  }

  private static void assertSameTensors(
      Map<String, FloatTensor> expected, Map<String, FloatTensor> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (String name : expected.keySet()) {
      assertArrayEquals(
          expected.get(name).toArray(), actual.get(name).toArray(), what + " " + name);
    }
  }

  @Test
  void unlocked_resumedAfterACrash_repeatsTheUninterruptedRunBitForBit() throws IOException {
    TrainerConfig straight = config(dir.resolve("straight"));
    Map<String, FloatTensor> straightImage;
    Map<String, float[]> straightText;
    RawImageTrainingResult straightResult;
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      straightResult =
          run(image, text, straight, ImageTraining.UNLOCKED, ProgressListener.silent(), null);
      straightImage = image.weightSnapshot();
      straightText = textWeights(text);
    }
    assertTrue(Files.isRegularFile(straight.plotFile()), "the curves were not plotted");

    TrainerConfig interrupted = config(dir.resolve("interrupted"));
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      IllegalStateException crash =
          assertThrows(
              IllegalStateException.class,
              () -> run(image, text, interrupted, ImageTraining.UNLOCKED, new CrashAt(3), null));
      assertTrue(crash.getMessage().contains("simulated crash"), crash.getMessage());
    }
    Path checkpoint =
        RawImageTrainer.latestCheckpoint(interrupted.checkpointDirectory()).orElseThrow();
    assertEquals("step-000000002", checkpoint.getFileName().toString());
    Map<String, FloatTensor> stats = Safetensors.read(checkpoint.resolve(Checkpoint.BUFFERS_FILE));
    assertEquals(80, stats.size(), "2 moving statistics for each of the 40 batch norms");
    assertTrue(stats.containsKey("image_tower/bn_Conv1/moving_mean"), stats.keySet().toString());

    // Fresh towers, the text one differently seeded: everything must come from the checkpoint.
    RawImageTrainingResult resumed;
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = TrainerFixtures.tinyTower(576, 12345)) {
      resumed =
          run(
              image,
              text,
              interrupted,
              ImageTraining.UNLOCKED,
              ProgressListener.silent(),
              checkpoint);
      // Exact equality is the point: the same bits, not merely close values.
      assertSameTensors(straightImage, image.weightSnapshot(), "image tower");
      Map<String, float[]> resumedText = textWeights(text);
      for (String name : straightText.keySet()) {
        assertArrayEquals(straightText.get(name), resumedText.get(name), "text tower " + name);
      }
    }
    assertEquals(straightResult.losses(), resumed.losses(), "losses, the first two from the log");
    assertEquals(straightResult.temperature(), resumed.temperature(), 0.0);
    List<StepMetrics> expected = MetricsLog.read(straight.metricsFile()).steps();
    List<StepMetrics> actual = MetricsLog.read(interrupted.metricsFile()).steps();
    assertEquals(STEPS, expected.size());
    assertEquals(STEPS, actual.size(), "the resumed log continues at step 3 without duplicates");
    for (int i = 0; i < STEPS; i++) {
      assertEquals(i + 1, actual.get(i).step());
      assertEquals(expected.get(i).loss(), actual.get(i).loss(), 0.0, "loss at step " + (i + 1));
      assertEquals(expected.get(i).gradientNorm(), actual.get(i).gradientNorm(), 0.0);
      assertEquals(expected.get(i).learningRate(), actual.get(i).learningRate(), 0.0);
    }
  }

  @Test
  void locked_checkpointHoldsNoImageTensors_andResumesOnlyWithTheSameImageSettings()
      throws IOException {
    TrainerConfig config = config(dir.resolve("locked"));
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      run(image, text, config, ImageTraining.LOCKED, ProgressListener.silent(), null);
    }
    Path checkpoint = RawImageTrainer.latestCheckpoint(config.checkpointDirectory()).orElseThrow();
    assertEquals("step-000000006", checkpoint.getFileName().toString());
    assertFalse(Files.exists(checkpoint.resolve(Checkpoint.BUFFERS_FILE)));
    for (String name : Safetensors.read(checkpoint.resolve(Checkpoint.WEIGHTS_FILE)).keySet()) {
      assertFalse(name.startsWith(RawImageTrainer.IMAGE_PREFIX), name + " of a locked tower");
    }
    assertEquals("LOCKED", Checkpoint.read(checkpoint).state().fingerprint().get("image.training"));

    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      Map<String, FloatTensor> before = image.weightSnapshot();
      IllegalArgumentException unlocked =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  run(
                      image,
                      text,
                      config,
                      ImageTraining.UNLOCKED,
                      ProgressListener.silent(),
                      checkpoint));
      assertTrue(
          unlocked.getMessage().contains("image.training: checkpoint LOCKED, now UNLOCKED"),
          unlocked.getMessage());
      assertSameTensors(before, image.weightSnapshot(), "a refused resume changed");
      IllegalArgumentException resolution =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                try (RawImageTrainer t =
                    RawImageTrainer.builder(image, text, config, ImageTraining.LOCKED, 96)
                        .resumeFrom(checkpoint)
                        .build()) {
                  t.train(ImageCaptionPairs.ofImages(images(), captions()));
                }
              });
      assertTrue(
          resolution.getMessage().contains("image.resolution: checkpoint 64, now 96"),
          resolution.getMessage());
      // The pre-computed-embedding trainer has no image settings: it refuses this checkpoint.
      IllegalArgumentException other =
          assertThrows(
              IllegalArgumentException.class,
              () -> {
                try (PyTorchContrastiveTrainer t =
                    PyTorchContrastiveTrainer.builder(text, new LockedImageTower(576, 1), config)
                        .resumeFrom(checkpoint)
                        .build()) {
                  t.train(TrainerFixtures.pairs(TrainerFixtures.prototypes(8, 576, 1), 8, 0.5, 2));
                }
              });
      assertTrue(
          other.getMessage().contains("image.training: checkpoint LOCKED, now absent"),
          other.getMessage());
    }
  }
}
