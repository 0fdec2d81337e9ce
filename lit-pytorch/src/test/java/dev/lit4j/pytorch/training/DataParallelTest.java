package dev.lit4j.pytorch.training;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.ReferenceLosses;
import dev.lit4j.model.LitModel;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data-parallel training with full-batch negatives. There is no second device on the CI machine, so
 * the replicas share the CPU; they still run the multi-device code path: sharded tokenization and
 * forward passes on differentiable copies of the parameters, a differentiable gather, one loss, one
 * backward pass that sums every shard's gradients onto the main parameters.
 */
class DataParallelTest {
  private static final int D = 16;

  /**
   * Sharding changes only how rows are grouped into GEMMs and how far each shard is padded (padding
   * is masked out exactly), so one- and many-replica results differ by float32 rounding.
   */
  private static final double RTOL = 1e-4;

  private static final double ATOL = 2e-6;

  @TempDir Path dir;

  private static List<Device> cpus(int n) {
    return Collections.nCopies(n, Device.cpu());
  }

  private static List<String> captions(int b) {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      // Lengths differ between rows, so shards are padded to different lengths.
      String word = TrainerFixtures.CLASSES.get(i % TrainerFixtures.CLASSES.size());
      c.add(i % 3 == 0 ? "a photo of a small " + word + " on the left" : "a " + word);
    }
    return c;
  }

  private static float[] images(int b) {
    return TrainerFixtures.images(
            TrainerFixtures.prototypes(4, D, 3), TrainerFixtures.classes(b, 4, 4), 0.5, 5)
        .matrix()
        .toArray();
  }

  /** The loss and every parameter's gradient of one step with {@code replicas} CPU replicas. */
  private static Map<String, float[]> gradients(
      LossKind kind, int chunk, int replicas, int b, double[] lossOut) {
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).loss(kind).lossChunkSize(chunk).build();
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TransformerTrainable(tower, cpus(replicas)),
                D,
                BatchLoss.of(kind, chunk),
                manager)) {
      return step.gradients(images(b), captions(b), lossOut);
    }
  }

  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0, 2", "SOFTMAX, 0, 3", "SOFTMAX, 3, 3", "SIGMOID, 0, 2", "SIGMOID, 4, 3"})
  void gradients_onSeveralReplicas_equalTheOneDeviceStep(LossKind kind, int chunk, int replicas) {
    int b = 11; // not a multiple of 2 or 3: shards of unequal size
    double[] one = new double[1];
    double[] many = new double[1];
    Map<String, float[]> single = gradients(kind, chunk, 1, b, one);
    Map<String, float[]> parallel = gradients(kind, chunk, replicas, b, many);
    assertClose(one[0], many[0], RTOL, ATOL, "loss");
    assertEquals(single.keySet(), parallel.keySet());
    for (String name : single.keySet()) {
      float[] expected = single.get(name);
      float[] actual = parallel.get(name);
      double norm = 0;
      for (float v : expected) {
        norm = Math.max(norm, Math.abs(v));
      }
      assertTrue(norm > 0 || name.equals(ContrastiveStep.BIAS), name + " has a zero gradient");
      assertAllClose(expected, actual, RTOL, ATOL);
    }
  }

  @Test
  void loss_onTwoReplicas_isOneLossOverTheWholeBatch_notOnePerDevice() {
    int b = 12;
    double[] loss = new double[1];
    gradients(LossKind.SOFTMAX, 0, 2, b, loss);

    float[] x = images(b);
    double[][] images = new double[b][D];
    double[][] texts = new double[b][D];
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7)) {
      EmbeddingMatrix y = tower.embedAll(captions(b));
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < D; j++) {
          images[i][j] = x[i * D + j];
          texts[i][j] = y.matrix().get(i, j);
        }
      }
    }
    double logT = Math.log(10);
    double fullBatch = ReferenceLosses.softmax(images, texts, logT).value();
    double perDevice =
        (ReferenceLosses.softmax(
                        Arrays.copyOfRange(images, 0, b / 2),
                        Arrays.copyOfRange(texts, 0, b / 2),
                        logT)
                    .value()
                + ReferenceLosses.softmax(
                        Arrays.copyOfRange(images, b / 2, b),
                        Arrays.copyOfRange(texts, b / 2, b),
                        logT)
                    .value())
            / 2;
    assertClose(fullBatch, loss[0], RTOL, ATOL, "full-batch loss");
    assertTrue(
        Math.abs(perDevice - loss[0]) > 0.1,
        "per-device losses average " + perDevice + ", the step's loss is " + loss[0]);
  }

  @Test
  void replicaParameters_areLeafCopies_whoseGradientsAreSummedPerMainParameter() {
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager scope = NDManager.newBaseManager("PyTorch")) {
      Parameter p = tower.namedParameters().values().iterator().next();
      NDArray main = p.getArray();
      float[] before = main.toFloatArray();
      Map<NDArray, NDArray> sums = new IdentityHashMap<>();
      JniUtils.zeroGrad((PtNDArray) main);
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        collector.backward(scope.create(2f).mul(main).sum()); // main's own gradient: 2
        ReplicaParameters replica = new ReplicaParameters(scope);
        NDArray copy = replica.getValue(p, Device.cpu(), true);
        assertSame(copy, replica.getValue(p, Device.cpu(), true), "one copy per step");
        assertAllClose(before, copy.toFloatArray(), 0, 0);
        copy.stopGradient().muli(0); // overwrites the copy's storage...
        assertAllClose(before, main.toFloatArray(), 0, 0); // ...not the main parameter's
        collector.backward(copy.mul(3).sum()); // the replica's gradient: 3
        replica.addGradientsTo(sums, scope);
        replica.addGradientsTo(sums, scope); // a second replica with the same gradient
      }
      assertEquals(1, sums.size());
      for (float v : sums.get(main).toFloatArray()) {
        assertEquals(6f, v, "3 from each of two replicas");
      }
      for (float v : main.getGradient().toFloatArray()) {
        assertEquals(2f, v, "the main parameter's own gradient is left alone");
      }
      JniUtils.zeroGrad((PtNDArray) main);
    }
  }

  @Test
  void replicaParameters_askedForAnotherDevice_throwNamingBoth() {
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager scope = NDManager.newBaseManager("PyTorch")) {
      Parameter p = tower.namedParameters().values().iterator().next();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> new ReplicaParameters(scope).getValue(p, Device.gpu(3), true));
      assertTrue(
          e.getMessage().contains("replica on " + Device.cpu())
              && e.getMessage().contains("on " + Device.gpu(3)),
          e.getMessage());
    }
  }

  @Test
  void run_onThreeReplicas_freesTheCopiesEveryStep() {
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).build();
    int b = 9;
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TransformerTrainable(tower, cpus(3)),
                D,
                BatchLoss.of(config.loss(), 0),
                manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
      step.run(images(b), captions(b), 1e-3, adam, 1); // creates the moments
      int before = manager.getManagedArrays().size();
      for (int s = 2; s <= 3; s++) {
        step.run(images(b), captions(b), 1e-3, adam, s);
      }
      assertEquals(before, manager.getManagedArrays().size(), "arrays leaked by a step");
    }
  }

  /**
   * Regression: the scalars of {@code mul(Number)}, {@code div(Number)} and {@code maximum(Number)}
   * that autograd kept for the backward pass lived in Java buffers DJL had already released, so a
   * garbage collection between forward and backward made the gradients garbage (seen as a random
   * "gradient norm is Infinity"). Here one is forced at exactly that point, in every step.
   */
  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0, 1", "SOFTMAX, 0, 3", "SIGMOID, 0, 3", "SOFTMAX, 3, 3", "SIGMOID, 4, 2"})
  void gradients_withAGarbageCollectionBeforeBackward_equalThoseWithout(
      LossKind kind, int chunk, int replicas) {
    int b = 7;
    double[] plainLoss = new double[1];
    double[] collectedLoss = new double[1];
    Map<String, float[]> plain = gradients(kind, chunk, replicas, b, plainLoss);
    Map<String, float[]> collected;
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).loss(kind).lossChunkSize(chunk).build();
    BatchLoss loss = BatchLoss.of(kind, chunk);
    BatchLoss collecting =
        (x, y, logT, bias) -> {
          NDArray value = loss.value(x, y, logT, bias);
          collectGarbage();
          return value;
        };
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config, new TransformerTrainable(tower, cpus(replicas)), D, collecting, manager)) {
      collected = step.gradients(images(b), captions(b), collectedLoss);
    }
    assertClose(plainLoss[0], collectedLoss[0], 0, 0, "loss");
    for (String name : plain.keySet()) {
      assertAllClose(plain.get(name), collected.get(name), 0, 0);
    }
  }

  /** Runs full garbage collections and gives the cleaner thread time to free direct buffers. */
  private static void collectGarbage() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while collecting garbage", e);
      }
    }
  }

  /**
   * Many steps in one JVM, where the intermittent "gradient norm is Infinity" showed: 200 steps of
   * three replicas on one device, each checked against the one-device step on the same batch. The
   * learning rate is 0, so every step starts from the same parameters (AdamW still runs, and a
   * non-finite gradient would poison them) and the comparison stays exact to rounding; every 25th
   * step a garbage collection runs between forward and backward.
   */
  @Test
  void run_200StepsOnThreeSameDeviceReplicas_areFinite_andEqualTheOneDeviceStep() {
    int steps = 200;
    int b = 6;
    int batches = 3;
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).build();
    BatchLoss loss = BatchLoss.of(config.loss(), 0);
    int[] calls = new int[1];
    BatchLoss sometimesCollecting =
        (x, y, logT, bias) -> {
          NDArray value = loss.value(x, y, logT, bias);
          if (++calls[0] % 25 == 0) {
            collectGarbage();
          }
          return value;
        };
    List<String> captions = captions(batches * b);
    float[] images = images(batches * b);
    try (TransformerTextTower oneTower = TrainerFixtures.tinyTower(D, 7);
        TransformerTextTower threeTower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep one =
            new ContrastiveStep(
                config, new TransformerTrainable(oneTower, cpus(1)), D, loss, manager);
        ContrastiveStep three =
            new ContrastiveStep(
                config,
                new TransformerTrainable(threeTower, cpus(3)),
                D,
                sometimesCollecting,
                manager);
        AdamW oneAdam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4);
        AdamW threeAdam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
      ContrastiveStep.Outcome[] expected = new ContrastiveStep.Outcome[batches];
      for (int k = 0; k < batches; k++) {
        expected[k] =
            one.run(
                Arrays.copyOfRange(images, k * b * D, (k + 1) * b * D),
                captions.subList(k * b, (k + 1) * b),
                0,
                oneAdam,
                k + 1);
      }
      for (int s = 1; s <= steps; s++) {
        int k = s % batches;
        ContrastiveStep.Outcome actual =
            three.run(
                Arrays.copyOfRange(images, k * b * D, (k + 1) * b * D),
                captions.subList(k * b, (k + 1) * b),
                0,
                threeAdam,
                s);
        assertTrue(
            Double.isFinite(actual.loss()) && Double.isFinite(actual.gradientNorm()),
            "step " + s + ": " + actual);
        assertClose(expected[k].loss(), actual.loss(), RTOL, ATOL, "loss at step " + s);
        assertClose(
            expected[k].gradientNorm(),
            actual.gradientNorm(),
            RTOL,
            ATOL,
            "gradient norm at step " + s);
      }
    }
  }

  @Test
  void forward_onSeveralReplicas_makesOneCopyOfEveryParameterPerExtraReplica() {
    int b = 6;
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch")) {
      int parameters = tower.namedParameters().size();
      int[] arrays = new int[4];
      float[][] rows = new float[4][];
      for (int g = 1; g <= 3; g++) {
        try (NDManager scope = manager.newSubManager();
            GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray y =
              new TransformerTrainable(tower, cpus(g)).forward(captions(b), scope).embeddings();
          assertEquals(b, y.getShape().get(0));
          rows[g] = y.toFloatArray();
          arrays[g] = scope.getManagedArrays().size();
        }
      }
      assertTrue(
          arrays[2] - arrays[1] >= parameters && arrays[3] - arrays[2] >= parameters,
          "arrays held per replica count 1..3: "
              + arrays[1]
              + ", "
              + arrays[2]
              + ", "
              + arrays[3]
              + " for "
              + parameters
              + " parameters");
      assertAllClose(rows[1], rows[2], RTOL, ATOL);
      assertAllClose(rows[1], rows[3], RTOL, ATOL);
    }
  }

  @Test
  void train_onTwoReplicas_followsTheOneDeviceLossCurve_andSavesAModelThatClassifies()
      throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(4, D, 21);
    PairedEmbeddings data = TrainerFixtures.pairs(prototypes, 48, 0.6, 22);
    List<StepMetrics> one = train(data, List.of(ComputeDevice.cpu()), dir.resolve("one"));
    List<StepMetrics> two =
        train(data, List.of(ComputeDevice.cpu(), ComputeDevice.cpu()), dir.resolve("two"));
    assertEquals(one.size(), two.size());
    for (int i = 0; i < one.size(); i++) {
      // Rounding differences grow through the updates; they stay far below the loss's changes.
      assertClose(one.get(i).loss(), two.get(i).loss(), 1e-3, 1e-5, "loss at step " + (i + 1));
      assertClose(
          one.get(i).temperature(), two.get(i).temperature(), 1e-4, 0, "t at step " + (i + 1));
    }
    assertTrue(
        one.get(one.size() - 1).loss() < one.get(0).loss() - 0.05,
        "the run learns: " + one.get(0).loss() + " → " + one.get(one.size() - 1).loss());
    try (LitModel model = LitModel.load(dir.resolve("two").resolve("model"))) {
      ZeroShotClassifier classifier =
          ZeroShotClassifier.of(model, TrainerFixtures.CLASSES.subList(0, 4));
      assertEquals(4, classifier.classify(data.images().get(0)).size());
    }
  }

  private static List<StepMetrics> train(
      PairedEmbeddings data, List<ComputeDevice> devices, Path out) throws Exception {
    TrainerConfig config =
        TrainerConfig.builder(out)
            .batchSize(16)
            .epochs(3)
            .warmupSteps(1)
            .learningRate(3e-3)
            .seed(9)
            .lossChunkSize(5)
            .build();
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 99), config)
                .devices(devices)
                .build()) {
      TrainingResult result = trainer.train(data);
      assertEquals(9, result.steps());
    }
    return MetricsLog.read(config.metricsFile()).steps();
  }

  @Test
  void build_withNoDevices_orABatchSmallerThanTheDeviceCount_throwsNamingThem() {
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1)) {
      PyTorchContrastiveTrainer.Builder b =
          PyTorchContrastiveTrainer.builder(
              text, new LockedImageTower(D, 1), TrainerConfig.builder(dir).batchSize(2).build());
      IllegalArgumentException empty =
          assertThrows(IllegalArgumentException.class, () -> b.devices(List.of()));
      assertTrue(empty.getMessage().contains("devices is empty"), empty.getMessage());

      b.devices(Collections.nCopies(3, ComputeDevice.cpu()));
      IllegalArgumentException small = assertThrows(IllegalArgumentException.class, b::build);
      assertTrue(
          small.getMessage().contains("batch size 2") && small.getMessage().contains("3 devices"),
          small.getMessage());

      b.devices(List.of(ComputeDevice.cpu(), ComputeDevice.gpu(5)));
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, b::build);
      assertTrue(missing.getMessage().contains("GPU 5"), missing.getMessage());
    }
  }
}
