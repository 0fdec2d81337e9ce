package dev.lit4j.pytorch.kernel;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.kernel.NdRun.Form;
import dev.lit4j.pytorch.kernel.NdRun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class NdContrastiveLossesTest {
  /**
   * Full and chunked forms do the same float32 arithmetic in a different order (chunked sums,
   * logaddexp merges, closed-form diagonal): they agree to a few float32 ulps of the largest term.
   */
  private static final double SAME_MATH_RTOL = 2e-5;

  /** Gradient entries are O(t/B); entries that cancel to ~0 are compared absolutely. */
  private static final double SAME_MATH_ATOL = 2e-6;

  private static final int B = 37;
  private static final int D = 16;
  private static final FloatMatrix X = Batches.unitRows(B, D, 11);
  private static final FloatMatrix Y = Batches.noisyCopy(X, 1.0, 12);

  @ParameterizedTest(name = "{0}, chunkRows = {1}")
  @CsvSource({
    "SOFTMAX, 1", "SOFTMAX, 8", "SOFTMAX, 36", "SOFTMAX, 37", "SOFTMAX, 1000",
    "SIGMOID, 1", "SIGMOID, 8", "SIGMOID, 36", "SIGMOID, 37", "SIGMOID, 1000"
  })
  void chunked_matchesFullAutograd_inValueAndAllGradients(LossKind kind, int chunkRows) {
    LossParameters p = new LossParameters(Math.log(10), -3);
    Result full = NdRun.run(kind, Form.FULL, X, Y, p, chunkRows);
    Result chunked = NdRun.run(kind, Form.CHUNKED, X, Y, p, chunkRows);

    assertClose(full.value(), chunked.value(), SAME_MATH_RTOL, 0, "loss");
    assertAllClose(full.gradX(), chunked.gradX(), SAME_MATH_RTOL, SAME_MATH_ATOL);
    assertAllClose(full.gradY(), chunked.gradY(), SAME_MATH_RTOL, SAME_MATH_ATOL);
    assertClose(full.gradLogT(), chunked.gradLogT(), SAME_MATH_RTOL, SAME_MATH_ATOL, "∂/∂ log t");
    assertClose(full.gradBias(), chunked.gradBias(), SAME_MATH_RTOL, SAME_MATH_ATOL, "∂/∂b");
  }

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void chunked_backPropagatesIntoTheTowerThatProducedTheTexts(LossKind kind) {
    // texts = normalise(H W) with W trainable; images locked (no gradient), as in LiT.
    float[] wFull = towerWeightGradient(kind, Form.FULL);
    float[] wChunked = towerWeightGradient(kind, Form.CHUNKED);
    assertAllClose(wFull, wChunked, SAME_MATH_RTOL, SAME_MATH_ATOL);
    assertTrue(maxAbs(wFull) > 1e-3, "the tower gradient is not trivially zero");
  }

  private static float[] towerWeightGradient(LossKind kind, Form form) {
    FloatMatrix h = Batches.unitRows(B, 8, 21);
    FloatMatrix w0 = Batches.unitRows(8, D, 22);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray images = m.create(X.toArray(), new Shape(B, D));
      NDArray hidden = m.create(h.toArray(), new Shape(B, 8));
      NDArray w = m.create(w0.toArray(), new Shape(8, D));
      w.setRequiresGradient(true);
      NDArray logT = m.create((float) Math.log(10));
      NDArray bias = m.create(-10f);
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        NDArray projected = hidden.matMul(w);
        NDArray texts = projected.div(projected.norm(new int[] {1}, true));
        NDArray loss = NdRun.loss(kind, form, images, texts, logT, bias, 5);
        collector.backward(loss);
      }
      return w.getGradient().toFloatArray();
    }
  }

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void chunkedValue_matchesTheFullValue_withoutAGraph(LossKind kind) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(X.toArray(), new Shape(B, D));
      NDArray y = m.create(Y.toArray(), new Shape(B, D));
      NDArray logT = m.create((float) Math.log(20));
      NDArray bias = m.create(-5f);
      float full = NdRun.loss(kind, Form.FULL, x, y, logT, bias, 0).getFloat();
      NDArray chunked =
          kind == LossKind.SOFTMAX
              ? NdContrastiveLosses.softmaxChunkedValue(x, y, logT, 7)
              : NdContrastiveLosses.sigmoidChunkedValue(x, y, logT, bias, 7);
      assertEquals(new Shape(), chunked.getShape());
      assertClose(full, chunked.getFloat(), SAME_MATH_RTOL, 0, "loss");
    }
  }

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void loss_isNonNegativeAndSymmetricUnderSwappingTowers(LossKind kind) {
    LossParameters p = LossParameters.defaultsFor(kind);
    for (Form form : Form.values()) {
      Result xy = NdRun.run(kind, form, X, Y, p, 6);
      Result yx = NdRun.run(kind, form, Y, X, p, 6);
      assertTrue(xy.value() >= 0, "loss must be >= 0, got " + xy.value());
      assertClose(xy.value(), yx.value(), SAME_MATH_RTOL, 0, form + " loss(X, Y) vs loss(Y, X)");
      // Swapping the towers swaps their gradients.
      assertAllClose(xy.gradX(), yx.gradY(), SAME_MATH_RTOL, SAME_MATH_ATOL);
    }
  }

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void loss_staysFiniteAndAgreesAtExtremeTemperature(LossKind kind) {
    // t = 1e4: logits reach ±1e4, where a naive exp overflows float32 (max ≈ 3.4e38 = e^88.7).
    LossParameters p = new LossParameters(Math.log(1e4), -1e4);
    Result full = NdRun.run(kind, Form.FULL, X, Y, p, 10);
    Result chunked = NdRun.run(kind, Form.CHUNKED, X, Y, p, 10);
    assertTrue(Double.isFinite(full.value()) && full.value() > 0, "full: " + full.value());
    assertClose(full.value(), chunked.value(), SAME_MATH_RTOL, 0, "loss");
    assertAllClose(full.gradY(), chunked.gradY(), SAME_MATH_RTOL, 1e4 * SAME_MATH_ATOL);
  }

  @Test
  void softmaxGradients_giveZeroBiasGradientAndKeepTheTemperatureShape() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(X.toArray(), new Shape(B, D));
      NDArray y = m.create(Y.toArray(), new Shape(B, D));
      NDArray logT = m.create(new float[] {(float) Math.log(10)}); // shape [1], like a Parameter
      try (NdLossGradients g = NdContrastiveLosses.softmaxGradients(x, y, logT, 16)) {
        assertEquals(new Shape(1), g.gradLogTemperature().getShape());
        assertEquals(new Shape(), g.gradBias().getShape());
        assertEquals(0f, g.gradBias().getFloat());
        assertEquals(new Shape(B, D), g.gradImages().getShape());
        assertFalse(g.gradTexts().hasGradient(), "gradients are constants");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void calls_leaveOnlyTheirResultInTheCallersManager(Form form) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(X.toArray(), new Shape(B, D));
      NDArray y = m.create(Y.toArray(), new Shape(B, D));
      NDArray logT = m.create((float) Math.log(10));
      NDArray bias = m.create(-10f);
      for (NDArray a : new NDArray[] {x, y, logT, bias}) {
        a.setRequiresGradient(true);
      }
      for (LossKind kind : LossKind.values()) {
        try (GradientCollector collector = m.getEngine().newGradientCollector()) {
          int before = m.getManagedArrays().size();
          NDArray loss = NdRun.loss(kind, form, x, y, logT, bias, 8);
          assertEquals(before + 1, m.getManagedArrays().size(), kind + ": only the loss remains");
          collector.backward(loss); // DJL's backward itself leaves a ones() seed array in m
        }
      }
      int before = m.getManagedArrays().size();
      try (NdLossGradients g = NdContrastiveLosses.sigmoidGradients(x, y, logT, bias, 8)) {
        assertEquals(before + 5, m.getManagedArrays().size(), "exactly the five results");
      }
      assertEquals(before, m.getManagedArrays().size(), "close() releases the five results");
      NdContrastiveLosses.softmaxChunkedValue(x, y, logT, 8).close();
      NdContrastiveLosses.sigmoidChunkedValue(x, y, logT, bias, 8).close();
      assertEquals(before, m.getManagedArrays().size(), "value-only calls leave nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void loss_ofOneArrayWithItself_leavesTheArrayInItsManager(Form form) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(X.toArray(), new Shape(B, D));
      NDArray logT = m.create((float) Math.log(10));
      for (LossKind kind : LossKind.values()) {
        float loss = NdRun.loss(kind, form, x, x, logT, logT, 8).getFloat();
        assertTrue(loss > 0, kind + ": " + loss);
      }
      assertEquals(m, x.getManager());
      assertEquals(m, logT.getManager());
      assertFalse(x.isReleased(), "the input survives the call");
      assertEquals(B * D, x.toFloatArray().length);
    }
  }

  @Test
  void softmax_withDifferentShapes_throwsNamingBothShapes() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.zeros(new Shape(4, 8));
      NDArray y = m.zeros(new Shape(4, 9));
      NDArray logT = m.create(1f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> NdContrastiveLosses.softmax(x, y, logT));
      assertTrue(
          e.getMessage().contains("(4, 8)") && e.getMessage().contains("(4, 9)"), e.getMessage());
    }
  }

  @Test
  void sigmoid_withVectorBias_throwsNamingTheShape() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.zeros(new Shape(4, 8));
      NDArray logT = m.create(1f);
      NDArray bias = m.zeros(new Shape(4));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> NdContrastiveLosses.sigmoid(x, x, logT, bias));
      assertTrue(e.getMessage().contains("bias") && e.getMessage().contains("(4)"), e.getMessage());
    }
  }

  @Test
  void chunked_withZeroChunkRows_throwsNamingTheValue() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.zeros(new Shape(4, 8));
      NDArray logT = m.create(1f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> NdContrastiveLosses.softmaxChunked(x, x, logT, 0));
      assertTrue(e.getMessage().contains("chunkRows must be positive, got 0"), e.getMessage());
    }
  }

  @Test
  void softmax_withIntegerInputs_throwsNamingTheDtype() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray x = m.create(new int[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray logT = m.create(1f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> NdContrastiveLosses.softmax(x, x, logT));
      assertTrue(e.getMessage().contains("int32"), e.getMessage());
    }
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
