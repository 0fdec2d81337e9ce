package dev.lit4j.pytorch.training;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.ReferenceLosses;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.training.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContrastiveStepTest {
  /** float32 loss kernels against the float64 reference: a few float32 ulps of O(1) values. */
  private static final double RTOL = 1e-5;

  /** Gradients near zero are compared absolutely: float32 rounding of O(1/B) sums. */
  private static final double ATOL = 1e-6;

  /**
   * After one AdamW step from the same state, chunked and unchunked parameters differ only by the
   * float32 rounding of the gradients, scaled by the learning rate.
   */
  private static final double STEP_ATOL = 1e-6;

  private static final int B = 12;
  private static final int D = 8;

  private static float[] unitRows(int rows, long seed) {
    Random r = new Random(seed);
    float[] v = new float[rows * D];
    for (int i = 0; i < rows; i++) {
      double n = 0;
      for (int j = 0; j < D; j++) {
        v[i * D + j] = (float) r.nextGaussian();
        n += v[i * D + j] * v[i * D + j];
      }
      for (int j = 0; j < D; j++) {
        v[i * D + j] /= (float) Math.sqrt(n);
      }
    }
    return v;
  }

  private static double[][] rows(float[] v) {
    double[][] out = new double[v.length / D][D];
    for (int i = 0; i < v.length; i++) {
      out[i / D][i % D] = v[i];
    }
    return out;
  }

  private static List<String> captions() {
    List<String> c = new ArrayList<>();
    for (int i = B - 1; i >= 0; i--) {
      c.add(Integer.toString(i)); // reversed: batch row k reads table row B-1-k
    }
    return c;
  }

  @ParameterizedTest
  @CsvSource({"SOFTMAX, 0", "SOFTMAX, 5", "SIGMOID, 0", "SIGMOID, 5"})
  void gradients_equalTheFloat64Reference(LossKind kind, int chunk) {
    float[] x = unitRows(B, 1);
    float[] table = unitRows(B, 2);
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).loss(kind).lossChunkSize(chunk).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config, new TableTower(manager, table, D), D, BatchLoss.of(kind, chunk), manager)) {
      double[] loss = new double[1];
      Map<String, float[]> g = step.gradients(x, captions(), loss);

      double[][] y = new double[B][];
      double[][] tableRows = rows(table);
      for (int k = 0; k < B; k++) {
        y[k] = tableRows[B - 1 - k];
      }
      double logT = Math.log(10);
      ReferenceLosses.Result ref =
          kind == LossKind.SOFTMAX
              ? ReferenceLosses.softmax(rows(x), y, logT)
              : ReferenceLosses.sigmoid(rows(x), y, logT, -10);
      assertClose(ref.value(), loss[0], RTOL, ATOL, "loss");
      double[][] refGradY = ref.gradY();
      double[] expectedTableGrad = new double[B * D];
      for (int k = 0; k < B; k++) {
        System.arraycopy(refGradY[k], 0, expectedTableGrad, (B - 1 - k) * D, D);
      }
      double[] actual = new double[B * D];
      float[] tg = g.get("table");
      for (int i = 0; i < actual.length; i++) {
        actual[i] = tg[i];
      }
      assertAllClose(expectedTableGrad, actual, RTOL, ATOL);
      assertClose(
          ref.gradLogTemperature(),
          g.get(ContrastiveStep.LOG_TEMPERATURE)[0],
          RTOL,
          ATOL,
          "∂L/∂log t");
      if (kind == LossKind.SIGMOID) {
        assertClose(ref.gradBias(), g.get(ContrastiveStep.BIAS)[0], RTOL, ATOL, "∂L/∂b");
      } else {
        assertTrue(!g.containsKey(ContrastiveStep.BIAS), "softmax trains no bias");
      }
    }
  }

  @Test
  void run_chunkedAndUnchunked_leaveTheSameParameters() {
    float[] x = unitRows(16, 3);
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      captions.add("a photo of a " + TrainerFixtures.CLASSES.get(i % 8) + " number " + i);
    }
    Map<String, FloatTensor> full = stepOnce(x, captions, 0);
    Map<String, FloatTensor> chunked = stepOnce(x, captions, 5);
    assertEquals(full.keySet(), chunked.keySet());
    for (String name : full.keySet()) {
      assertAllClose(full.get(name).toArray(), chunked.get(name).toArray(), 0, STEP_ATOL);
    }
  }

  private static Map<String, FloatTensor> stepOnce(float[] x, List<String> captions, int chunk) {
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).lossChunkSize(chunk).build();
    try (TransformerTextTower tower = TrainerFixtures.tinyTower(D, 7);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TransformerTrainable(tower),
                D,
                BatchLoss.of(config.loss(), chunk),
                manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
      step.run(x, captions, 1e-3, adam, 1);
      Map<String, FloatTensor> weights = new java.util.LinkedHashMap<>(tower.weights());
      weights.put(
          "logT", FloatTensor.of(new int[] {1}, new float[] {(float) step.logTemperature()}));
      return weights;
    }
  }

  @Test
  void run_withNaNLoss_throwsNamingTheStep_andLeavesParametersUntouched() {
    float[] x = unitRows(B, 4);
    float[] table = unitRows(B, 5);
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).build();
    BatchLoss nan =
        (images, texts, logT, bias) -> images.matMul(texts.transpose()).sum().mul(Float.NaN);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(config, new TableTower(manager, table, D), D, nan, manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
      NonFiniteLossException e =
          assertThrows(NonFiniteLossException.class, () -> step.run(x, captions(), 1e-3, adam, 17));
      assertTrue(
          e.getMessage().contains("step 17") && e.getMessage().contains("NaN"), e.getMessage());
      assertAllClose(table, step.parameters().get(0).array().toFloatArray(), 0, 0);
      assertEquals(0, adam.steps());
    }
  }

  @Test
  void run_withATemperatureLearningRateFactor_movesTheTemperatureThatMuchFaster() {
    // Adam's first step moves a scalar by exactly lr · factor (m̂ / √v̂ = ±1), so the factor is
    // visible as the ratio of the two steps, independently of the gradient.
    double slow = firstTemperatureStep(1);
    double fast = firstTemperatureStep(10);
    assertEquals(1e-3, Math.abs(slow), 1e-6);
    assertEquals(10 * Math.abs(slow), Math.abs(fast), 1e-5);
    assertEquals(Math.signum(slow), Math.signum(fast));
  }

  private double firstTemperatureStep(double factor) {
    float[] x = unitRows(B, 9);
    TrainerConfig config =
        TrainerConfig.builder(Path.of("unused")).temperatureLearningRateFactor(factor).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TableTower(manager, unitRows(B, 10), D),
                D,
                BatchLoss.of(LossKind.SOFTMAX, 0),
                manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0)) {
      double before = step.logTemperature();
      step.run(x, captions(), 1e-3, adam, 1);
      return step.logTemperature() - before;
    }
  }

  @Test
  void run_clampsTheTemperatureAtItsMaximum() {
    float[] x = unitRows(B, 6);
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).temperature(99.9, 100).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TableTower(manager, unitRows(B, 7), D),
                D,
                BatchLoss.of(LossKind.SOFTMAX, 0),
                manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0)) {
      // A large learning rate pushes log t far past ln 100 whichever way the gradient points up.
      for (int s = 1; s <= 3; s++) {
        step.run(x, captions(), 1.0, adam, s);
        assertTrue(
            step.logTemperature() <= (float) Math.log(100), "log t = " + step.logTemperature());
      }
    }
  }

  @Test
  void run_freesEveryArrayItMakes() {
    float[] x = unitRows(B, 8);
    TrainerConfig config = TrainerConfig.builder(Path.of("unused")).loss(LossKind.SIGMOID).build();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TableTower(manager, unitRows(B, 9), D),
                D,
                BatchLoss.of(LossKind.SIGMOID, 4),
                manager);
        AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 1e-4)) {
      step.run(x, captions(), 1e-3, adam, 1); // creates the moments
      int before = manager.getManagedArrays().size();
      for (int s = 2; s <= 4; s++) {
        step.run(x, captions(), 1e-3, adam, s);
      }
      assertEquals(before, manager.getManagedArrays().size(), "arrays leaked by a step");
    }
  }
}
