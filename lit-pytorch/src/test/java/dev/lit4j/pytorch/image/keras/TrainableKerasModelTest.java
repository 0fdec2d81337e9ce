package dev.lit4j.pytorch.image.keras;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trainable Keras model on small hand-written models: against the locked importer (whose batch
 * normalisation is folded), against float64 batch normalisation in both modes, and on where
 * gradients arrive.
 */
class TrainableKerasModelTest {

  /** float32 forward passes of a few layers against float64 references or each other. */
  private static final double RTOL = 1e-5;

  private static final double ATOL = 1e-5;

  private static final double EPS = 1e-3;

  private static double[] sines(int n, double phase) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.sin(i * 0.7 + phase);
    }
    return v;
  }

  private static double[] plus(double[] v, double c) {
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.abs(out[i]) + c;
    }
    return out;
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static float[] floats(int n, double phase) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) (Math.cos(i * 1.3 + phase) * 2);
    }
    return f;
  }

  private static String conv(int filters, int k, int stride, String padding, boolean bias) {
    return "{\"filters\":"
        + filters
        + ",\"kernel_size\":["
        + k
        + ","
        + k
        + "],\"strides\":["
        + stride
        + ","
        + stride
        + "],\"padding\":\""
        + padding
        + "\",\"use_bias\":"
        + bias
        + ",\"activation\":\"linear\"}";
  }

  private static final String RELU6 = "{\"max_value\":6,\"negative_slope\":0,\"threshold\":0}";

  /** A MobileNetV2-like block: padded stride-2 conv, depthwise, pointwise, residual add. */
  private static TinyKerasModel block() {
    return new TinyKerasModel()
        .input(6, 6, 3)
        .layer("pad", "ZeroPadding2D", "{\"padding\":[[0,1],[0,1]]}", "input")
        .layer("c1", "Conv2D", conv(4, 3, 2, "valid", false), "pad")
        .weight("c1/kernel", new int[] {3, 3, 3, 4}, sines(108, 0.1))
        .batchNorm(
            "bn1", "c1", plus(sines(4, 1), 0.5), sines(4, 2), sines(4, 3), plus(sines(4, 4), 0.2))
        .layer("r1", "ReLU", RELU6, "bn1")
        .layer(
            "dw",
            "DepthwiseConv2D",
            "{\"kernel_size\":[3,3],\"strides\":[1,1],\"padding\":\"same\",\"depth_multiplier\":1,"
                + "\"use_bias\":false,\"activation\":\"linear\"}",
            "r1")
        .weight("dw/depthwise_kernel", new int[] {3, 3, 4, 1}, sines(36, 0.5))
        .batchNorm(
            "bn2", "dw", plus(sines(4, 5), 0.5), sines(4, 6), sines(4, 7), plus(sines(4, 8), 0.2))
        .layer("r2", "ReLU", RELU6, "bn2")
        .layer("c2", "Conv2D", conv(4, 1, 1, "valid", true), "r2")
        .weight("c2/kernel", new int[] {1, 1, 4, 4}, sines(16, 0.9))
        .weight("c2/bias", new int[] {4}, sines(4, 1.9))
        .batchNorm(
            "bn3",
            "c2",
            plus(sines(4, 9), 0.5),
            sines(4, 10),
            sines(4, 11),
            plus(sines(4, 12), 0.2))
        .layer("add", "Add", "{}", "r1", "bn3")
        .layer("f", "Flatten", "{}", "add")
        .layer("d", "Dense", "{\"units\":2,\"activation\":\"linear\",\"use_bias\":true}", "f")
        .weight("d/kernel", new int[] {36, 2}, sines(72, 0.3))
        .weight("d/bias", new int[] {2}, 0.1, 0.2);
  }

  @Test
  void inferenceMode_matchesTheLockedModelWhoseBatchNormIsFolded() throws IOException {
    TinyKerasModel tiny = block();
    try (KerasLayersModel locked = KerasLayersModel.load(tiny.json(), tiny.shards());
        TrainableKerasModel trainable =
            TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "add", 0.99);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(floats(2 * 3 * 6 * 6, 0), new Shape(2, 3, 6, 6));
      float[] expected = locked.forward(x, "add").toFloatArray();
      NDArray actual = trainable.forward(x, ForwardMode.INFERENCE);
      assertEquals(new Shape(2, 4, 3, 3), actual.getShape());
      assertAllClose(toDoubles(expected), toDoubles(actual.toFloatArray()), RTOL, ATOL);
    }
  }

  @Test
  void parameters_areKerasNamedAndTyped_buffersAreApart_andLayersAfterTheTargetAreNotBuilt()
      throws IOException {
    TinyKerasModel tiny = block();
    try (TrainableKerasModel model =
        TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "add", 0.99)) {
      Map<String, Parameter> p = model.namedParameters();
      assertEquals(
          List.of(
              "c1/kernel",
              "bn1/gamma",
              "bn1/beta",
              "dw/depthwise_kernel",
              "bn2/gamma",
              "bn2/beta",
              "c2/kernel",
              "c2/bias",
              "bn3/gamma",
              "bn3/beta"),
          List.copyOf(p.keySet()));
      assertEquals(Parameter.Type.WEIGHT, p.get("c1/kernel").getType());
      assertEquals(new Shape(4, 1, 3, 3), p.get("dw/depthwise_kernel").getArray().getShape());
      assertEquals(Parameter.Type.BIAS, p.get("c2/bias").getType());
      assertEquals(Parameter.Type.GAMMA, p.get("bn1/gamma").getType());
      assertEquals(Parameter.Type.BETA, p.get("bn1/beta").getType());
      for (Parameter q : p.values()) {
        assertTrue(q.getArray().hasGradient(), q.getName() + " requires a gradient");
        // Decay follows rank (TrainableParameter.decays): kernels only.
        assertEquals(
            q.getType() == Parameter.Type.WEIGHT, q.getArray().getShape().dimension() >= 2);
      }
      Map<String, Parameter> b = model.namedBuffers();
      assertEquals(6, b.size());
      assertEquals(Parameter.Type.RUNNING_MEAN, b.get("bn2/moving_mean").getType());
      assertEquals(Parameter.Type.RUNNING_VAR, b.get("bn2/moving_variance").getType());
      b.values().forEach(q -> assertFalse(q.getArray().hasGradient(), q.getName()));
      assertFalse(model.weightSnapshot().containsKey("d/kernel"), "the Dense after 'add'");
    }
  }

  /** One BatchNormalization on the input, against float64 in both modes. */
  @Test
  void trainingMode_normalisesWithBatchStatistics_andMovesTheMovingOnesByTheMomentum()
      throws IOException {
    double[] gamma = {1.5, 0.5};
    double[] beta = {0.1, -0.2};
    double[] mean = {0.3, -0.4};
    double[] var = {2.0, 0.25};
    double momentum = 0.9;
    TinyKerasModel tiny =
        new TinyKerasModel().input(2, 2, 2).batchNorm("bn", "input", gamma, beta, mean, var);
    int n = 3;
    int hw = 4;
    float[] x = floats(n * 2 * hw, 0.4);
    double[] expected = new double[x.length];
    double[] newMean = new double[2];
    double[] newVar = new double[2];
    for (int c = 0; c < 2; c++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < hw; p++) {
          s += x[(i * 2 + c) * hw + p];
        }
      }
      double mu = s / (n * hw);
      double ss = 0;
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < hw; p++) {
          double d = x[(i * 2 + c) * hw + p] - mu;
          ss += d * d;
        }
      }
      double biased = ss / (n * hw);
      double unbiased = ss / (n * hw - 1);
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < hw; p++) {
          int k = (i * 2 + c) * hw + p;
          expected[k] = gamma[c] * (x[k] - mu) / Math.sqrt(biased + EPS) + beta[c];
        }
      }
      newMean[c] = momentum * mean[c] + (1 - momentum) * mu;
      newVar[c] = momentum * var[c] + (1 - momentum) * unbiased;
    }
    try (TrainableKerasModel model =
            TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "bn", momentum);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray input = m.create(x, new Shape(n, 2, 2, 2));
      NDArray y = model.forward(input, ForwardMode.TRAINING);
      assertAllClose(expected, toDoubles(y.toFloatArray()), RTOL, ATOL);
      Map<String, Parameter> b = model.namedBuffers();
      assertAllClose(
          newMean, toDoubles(b.get("bn/moving_mean").getArray().toFloatArray()), RTOL, ATOL);
      assertAllClose(
          newVar, toDoubles(b.get("bn/moving_variance").getArray().toFloatArray()), RTOL, ATOL);
      // Inference normalises with the updated moving statistics and leaves them as they are.
      double[] inference = new double[x.length];
      for (int k = 0; k < x.length; k++) {
        int c = (k / hw) % 2;
        inference[k] = gamma[c] * (x[k] - newMean[c]) / Math.sqrt(newVar[c] + EPS) + beta[c];
      }
      Map<String, FloatTensor> before = model.weightSnapshot();
      NDArray z = model.forward(input, ForwardMode.INFERENCE);
      assertAllClose(inference, toDoubles(z.toFloatArray()), RTOL, ATOL);
      before.forEach(
          (name, t) ->
              assertArrayEquals(t.toArray(), model.weightSnapshot().get(name).toArray(), name));
    }
  }

  /**
   * Loss {@code Σ c ⊙ relu(bn(conv(x)))}: every parameter gets a gradient, {@code ∂L/∂β} is the
   * upstream sum {@code Σ c ⊙ [y > 0]} per channel, and the conv bias, which a training-mode batch
   * norm cancels by subtracting the batch mean, gets none (but does in inference mode).
   */
  @Test
  void gradients_reachEveryParameter_betaGetsTheUpstreamSum_andTrainingBatchNormCancelsABias()
      throws IOException {
    TinyKerasModel tiny =
        new TinyKerasModel()
            .input(4, 4, 2)
            .layer("c", "Conv2D", conv(3, 3, 1, "same", true), "input")
            .weight("c/kernel", new int[] {3, 3, 2, 3}, sines(54, 0.2))
            .weight("c/bias", new int[] {3}, 0.3, -0.1, 0.2)
            .batchNorm(
                "bn", "c", plus(sines(3, 1), 0.5), sines(3, 2), sines(3, 3), plus(sines(3, 4), 0.2))
            .layer("r", "ReLU", "{}", "bn");
    int n = 2;
    try (TrainableKerasModel model =
            TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "r", 0.99);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(floats(n * 2 * 16, 0.7), new Shape(n, 2, 4, 4));
      float[] c = floats(n * 3 * 16, 2.1);
      NDArray upstream = m.create(c, new Shape(n, 3, 4, 4));
      Map<String, Parameter> p = model.namedParameters();
      for (ForwardMode mode : ForwardMode.values()) {
        float[] y;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray out = model.forward(x, mode);
          y = out.toFloatArray();
          gc.backward(out.mul(upstream).sum());
        }
        double[] betaGrad = new double[3];
        for (int k = 0; k < c.length; k++) {
          betaGrad[(k / 16) % 3] += y[k] > 0 ? c[k] : 0;
        }
        assertAllClose(
            betaGrad,
            toDoubles(p.get("bn/beta").getArray().getGradient().toFloatArray()),
            RTOL,
            ATOL);
        for (String name : List.of("c/kernel", "bn/gamma", "bn/beta")) {
          float[] g = p.get(name).getArray().getGradient().toFloatArray();
          assertTrue(maxAbs(g) > 1e-3, mode + ": no gradient on " + name);
        }
        double biasGrad = maxAbs(p.get("c/bias").getArray().getGradient().toFloatArray());
        if (mode == ForwardMode.TRAINING) {
          assertTrue(biasGrad < 1e-5, "bias gradient through training batch norm: " + biasGrad);
        } else {
          assertTrue(biasGrad > 1e-3, "bias gradient through inference batch norm: " + biasGrad);
        }
        for (Parameter q : p.values()) {
          NDArray g = q.getArray().getGradient();
          g.subi(g); // PyTorch accumulates gradients; start the next mode from zero
        }
      }
      for (Parameter b : model.namedBuffers().values()) {
        assertFalse(b.getArray().hasGradient(), b.getName());
      }
    }
  }

  private static double maxAbs(float[] v) {
    double max = 0;
    for (float f : v) {
      max = Math.max(max, Math.abs(f));
    }
    return max;
  }

  @Test
  void random_isSeededHeNormal_withUnitGainsAndZeroShiftsAndStandardStatistics()
      throws IOException {
    TinyKerasModel tiny =
        new TinyKerasModel()
            .input(8, 8, 16)
            .layer("c", "Conv2D", conv(32, 3, 1, "same", true), "input")
            .weight("c/kernel", new int[] {3, 3, 16, 32}, new double[3 * 3 * 16 * 32])
            .weight("c/bias", new int[] {32}, sines(32, 0))
            .batchNorm("bn", "c", sines(32, 1), sines(32, 2), sines(32, 3), plus(sines(32, 4), 1));
    Map<String, FloatTensor> a;
    Map<String, FloatTensor> again;
    Map<String, FloatTensor> other;
    try (TrainableKerasModel m1 =
            TrainableKerasModel.random(tiny.json(), tiny.shards(), "bn", 0.99, 7);
        TrainableKerasModel m2 =
            TrainableKerasModel.random(tiny.json(), tiny.shards(), "bn", 0.99, 7);
        TrainableKerasModel m3 =
            TrainableKerasModel.random(tiny.json(), tiny.shards(), "bn", 0.99, 8)) {
      a = m1.weightSnapshot();
      again = m2.weightSnapshot();
      other = m3.weightSnapshot();
    }
    a.forEach((name, t) -> assertArrayEquals(t.toArray(), again.get(name).toArray(), name));
    assertFalse(
        java.util.Arrays.equals(a.get("c/kernel").toArray(), other.get("c/kernel").toArray()));
    float[] k = a.get("c/kernel").toArray();
    double sum = 0;
    double sq = 0;
    for (float v : k) {
      sum += v;
      sq += (double) v * v;
    }
    double mean = sum / k.length;
    double std = Math.sqrt(sq / k.length - mean * mean);
    double he = Math.sqrt(2.0 / (16 * 3 * 3));
    // 4608 draws: the sample mean's standard error is he/68, the sample std's about he/96.
    assertTrue(Math.abs(mean) < 4 * he / Math.sqrt(k.length), "kernel mean " + mean);
    assertEquals(he, std, 4 * he / Math.sqrt(2.0 * k.length), "kernel std");
    assertFilled(a.get("c/bias"), 0);
    assertFilled(a.get("bn/gamma"), 1);
    assertFilled(a.get("bn/beta"), 0);
    assertFilled(a.get("bn/moving_mean"), 0);
    assertFilled(a.get("bn/moving_variance"), 1);
  }

  private static void assertFilled(FloatTensor t, float value) {
    for (float v : t.toArray()) {
      assertEquals(value, v, 0f);
    }
  }

  @Test
  void anUnsupportedLayerUpToTheTarget_isNamed_butOneAfterItIsNeverBuilt() throws IOException {
    TinyKerasModel tiny =
        new TinyKerasModel()
            .input(2, 2, 1)
            .layer("c", "Conv2D", conv(1, 1, 1, "valid", false), "input")
            .weight("c/kernel", new int[] {1, 1, 1, 1}, 2)
            .layer("f", "Flatten", "{}", "c")
            .layer("d", "Dense", "{\"units\":1,\"activation\":\"linear\",\"use_bias\":false}", "f")
            .weight("d/kernel", new int[] {4, 1}, 1, 1, 1, 1);
    try (TrainableKerasModel model =
        TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "f", 0.99)) {
      assertEquals(List.of("c/kernel"), List.copyOf(model.namedParameters().keySet()));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "d", 0.99));
    assertTrue(e.getMessage().contains("'d' is a Dense"), e.getMessage());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "nope", 0.99));
    assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    IllegalArgumentException momentum =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "f", 1.5));
    assertTrue(momentum.getMessage().contains("1.5"), momentum.getMessage());
  }

  @Test
  void trainingForwards_releaseIntermediates_keepTheModelsArrays_andFailAfterClose()
      throws IOException {
    TinyKerasModel tiny = block();
    TrainableKerasModel model =
        TrainableKerasModel.pretrained(tiny.json(), tiny.shards(), "add", 0.99);
    int arrays = model.liveArrayCount();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(floats(2 * 3 * 10 * 10, 0), new Shape(2, 3, 10, 10));
      for (int i = 0; i < 3; i++) {
        try (NDManager call = m.newSubManager()) {
          NDArray in = x.duplicate();
          in.attach(call);
          model.forward(in, ForwardMode.TRAINING);
          // DJL's clip (ReLU6) leaves two scalars in the call's manager until it closes.
          long tensors =
              call.getManagedArrays().stream().filter(a -> a.getShape().dimension() > 0).count();
          assertEquals(2, tensors, "the input and the output only");
        }
      }
      assertEquals(arrays, model.liveArrayCount(), "moving statistics are updated in place");
      model.close();
      model.close();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> model.forward(x, ForwardMode.INFERENCE));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }
}
