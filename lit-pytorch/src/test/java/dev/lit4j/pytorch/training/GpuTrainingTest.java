package dev.lit4j.pytorch.training;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import dev.lit4j.embedding.Embedding;
import dev.lit4j.loss.LossKind;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.GpuDevices;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training and zero-shot classification on the GPU against the same work on the CPU, from the same
 * weights (drawn on the host from one seed): one training step's loss, gradients and updated
 * parameters; data-parallel training over every visible GPU against one device; and a zero-shot
 * classifier's scores.
 */
@Tag("gpu")
class GpuTrainingTest {
  private static final int D = 16;
  private static final int B = 24;

  /** float32 on two devices: sums in other orders, through a transformer and the loss. */
  private static final double RTOL = 1e-4;

  private static final double ATOL = 2e-6;

  private record Step(double loss, Map<String, float[]> gradients, Map<String, float[]> after) {}

  private static float[] images() {
    return TrainerFixtures.images(
            TrainerFixtures.prototypes(4, D, 3), TrainerFixtures.classes(B, 4, 4), 0.5, 5)
        .matrix()
        .toArray();
  }

  private static List<String> captions() {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < B; i++) {
      String word = TrainerFixtures.CLASSES.get(i % TrainerFixtures.CLASSES.size());
      c.add(i % 3 == 0 ? "a photo of a small " + word + " on the left" : "a " + word);
    }
    return c;
  }

  private static Step step(LossKind kind, int chunk, ComputeDevice device) {
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).loss(kind).lossChunkSize(chunk).build();
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7, device);
        NDManager manager = device.newBaseManager();
        ContrastiveStep step =
            new ContrastiveStep(
                config, new TransformerTrainable(tower), D, BatchLoss.of(kind, chunk), manager);
        AdamW adam = AdamW.of(config, manager)) {
      double[] loss = new double[1];
      Map<String, float[]> gradients = step.gradients(images(), captions(), loss);
      step.run(images(), captions(), 1e-3, adam, 1);
      Map<String, float[]> after = new LinkedHashMap<>();
      for (TrainableParameter p : step.parameters()) {
        after.put(p.name(), p.array().toFloatArray());
      }
      return new Step(loss[0], gradients, after);
    }
  }

  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0", "SOFTMAX, 7", "SIGMOID, 0", "SIGMOID, 7"})
  void oneTrainingStep_onTheGpu_equalsTheCpuStep(LossKind kind, int chunk) {
    ComputeDevice gpu = GpuDevices.first();
    Step cpu = step(kind, chunk, ComputeDevice.cpu());
    Step onGpu = step(kind, chunk, gpu);
    assertClose(cpu.loss(), onGpu.loss(), RTOL, ATOL, "loss");
    assertEquals(cpu.gradients().keySet(), onGpu.gradients().keySet());
    for (String name : cpu.gradients().keySet()) {
      assertAllClose(cpu.gradients().get(name), onGpu.gradients().get(name), RTOL, ATOL);
      assertAllClose(cpu.after().get(name), onGpu.after().get(name), RTOL, ATOL);
    }
  }

  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0", "SIGMOID, 5"})
  void dataParallel_overEveryGpu_givesTheOneDeviceLossAndGradients(LossKind kind, int chunk) {
    List<ComputeDevice> every = GpuDevices.every();
    ComputeDevice first = every.get(0);
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).loss(kind).lossChunkSize(chunk).build();
    double[] one = new double[1];
    double[] all = new double[1];
    Map<String, float[]> single;
    Map<String, float[]> parallel;
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7, first);
        NDManager manager = first.newBaseManager()) {
      try (ContrastiveStep step =
          new ContrastiveStep(
              config, new TransformerTrainable(tower), D, BatchLoss.of(kind, chunk), manager)) {
        single = step.gradients(images(), captions(), one);
      }
      try (ContrastiveStep step =
          new ContrastiveStep(
              config,
              TransformerTrainable.onDevices(tower, every, B),
              D,
              BatchLoss.of(kind, chunk),
              manager)) {
        parallel = step.gradients(images(), captions(), all);
      }
    }
    assertClose(one[0], all[0], RTOL, ATOL, "loss over " + every.size() + " devices");
    for (String name : single.keySet()) {
      assertAllClose(single.get(name), parallel.get(name), RTOL, ATOL);
    }
  }

  @Test
  void zeroShotClassifier_withItsTextTowerOnTheGpu_scoresAsOnTheCpu() {
    ComputeDevice gpu = GpuDevices.first();
    List<String> labels = TrainerFixtures.CLASSES;
    Embedding image = ColourImageTower.seeded(D, 11).embed(ColourImageTower.solid(0x3366cc, 8));
    ScoreCalibration calibration = new ScoreCalibration(LossKind.SOFTMAX, 20, 0);
    ClassScores cpu = classify(ComputeDevice.cpu(), labels, image, calibration);
    ClassScores onGpu = classify(gpu, labels, image, calibration);
    assertNotEquals(cpu.ranked().get(0).score(), cpu.ranked().get(labels.size() - 1).score());
    for (String label : labels) {
      assertClose(cpu.scoreOf(label), onGpu.scoreOf(label), RTOL, ATOL, label);
    }
    assertEquals(cpu.best().label(), onGpu.best().label());
  }

  private static ClassScores classify(
      ComputeDevice device, List<String> labels, Embedding image, ScoreCalibration calibration) {
    try (LitModel model =
            LitModel.of(
                ColourImageTower.seeded(D, 11),
                TrainerFixtures.tinyTower(D, 7, device),
                calibration);
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, labels)) {
      return classifier.classify(image);
    }
  }
}
