package dev.lit4j.pytorch.kernel;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lit4j.loss.ContrastiveLoss;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.loss.LossResult;
import dev.lit4j.loss.ReferenceLosses;
import dev.lit4j.loss.SigmoidLoss;
import dev.lit4j.loss.SoftmaxLoss;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cross-implementation oracle: PyTorch (autograd and explicit chunked gradients) against
 * lit-core's float64 {@link ReferenceLosses} and its float32 {@link SoftmaxLoss} / {@link
 * SigmoidLoss}, on the same seeded inputs.
 */
class PyTorchContrastiveLossTest {
  /** float32 kernel vs float64 reference: the loss value to float32 rounding of its sums... */
  private static final double VALUE_RTOL = FLOAT32_RTOL;

  /**
   * ...and of its terms: each row or column term {@code log Σ exp(z − max)} is a float32 log of a
   * number ≥ 1, off by up to about one ulp of 1 (1.2e-7), which dominates for a confident batch
   * whose loss is tiny.
   */
  private static final double VALUE_ATOL = 1.2e-7;

  /** Gradient entries relative to the largest reference entry: float32 rounding of B·D sums. */
  private static final double GRADIENT_ATOL_PER_MAX = FLOAT32_RTOL;

  /**
   * {@code ∂/∂X = t G Y} with {@code G = P − I/B}; float32 {@code P} is off by about one ulp of
   * {@code 1/B} per entry, so gradient entries carry an absolute error of order {@code (t/B)·2⁻²⁴}
   * (and {@code ∂/∂ log t = Σ G ⊙ z} one of order {@code t·2⁻²⁴}) even where the true gradient is
   * far smaller, as in a confident batch. This is 16 such ulps.
   */
  private static final double ULPS_OF_T = 16 * 0x1p-24;

  private static final int B = 48;
  private static final int D = 20;
  private static final FloatMatrix X = Batches.unitRows(B, D, 31);
  private static final FloatMatrix Y = Batches.noisyCopy(X, 0.8, 32);

  private static final LossParameters[] PARAMETERS = {
    LossParameters.SOFTMAX_DEFAULT,
    LossParameters.SIGMOID_DEFAULT,
    new LossParameters(Math.log(100), 2.5),
    new LossParameters(-1, 0)
  };

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of(LossKind.SOFTMAX, 0),
        Arguments.of(LossKind.SOFTMAX, 10), // does not divide B: a short last chunk
        Arguments.of(LossKind.SOFTMAX, B),
        Arguments.of(LossKind.SIGMOID, 0),
        Arguments.of(LossKind.SIGMOID, 10),
        Arguments.of(LossKind.SIGMOID, B));
  }

  /** {@code chunkRows = 0} selects the full (autograd) form. */
  private static PyTorchContrastiveLoss open(LossKind kind, int chunkRows) {
    return chunkRows == 0
        ? PyTorchContrastiveLoss.of(kind, ComputeDevice.cpu())
        : PyTorchContrastiveLoss.chunked(kind, ComputeDevice.cpu(), chunkRows);
  }

  @ParameterizedTest(name = "{0}, chunkRows = {1}")
  @MethodSource("forms")
  void valueAndGradients_matchFloat64Reference(LossKind kind, int chunkRows) {
    double[][] x = Batches.toDouble(X);
    double[][] y = Batches.toDouble(Y);
    try (PyTorchContrastiveLoss loss = open(kind, chunkRows)) {
      for (LossParameters p : PARAMETERS) {
        ReferenceLosses.Result expected =
            kind == LossKind.SOFTMAX
                ? ReferenceLosses.softmax(x, y, p.logTemperature())
                : ReferenceLosses.sigmoid(x, y, p.logTemperature(), p.bias());
        LossResult actual = loss.valueAndGradients(X, Y, p);
        String what = loss + " " + p;
        assertClose(expected.value(), actual.value(), VALUE_RTOL, VALUE_ATOL, what + " value");
        double t = p.temperature();
        assertAllClose(expected.gradX(), actual.gradImages(), 0, gradientAtol(expected.gradX(), t));
        assertAllClose(expected.gradY(), actual.gradTexts(), 0, gradientAtol(expected.gradY(), t));
        assertClose(
            expected.gradLogTemperature(),
            actual.gradLogTemperature(),
            VALUE_RTOL,
            ULPS_OF_T * t,
            what + " ∂/∂ log t");
        assertClose(
            expected.gradBias(), actual.gradBias(), VALUE_RTOL, FLOAT32_RTOL, what + " ∂/∂b");
        assertClose(actual.value(), loss.value(X, Y, p), VALUE_RTOL, VALUE_ATOL, what + " value()");
      }
    }
  }

  @ParameterizedTest(name = "{0}, chunkRows = {1}")
  @MethodSource("forms")
  void valueAndGradients_matchLitCoreFloat32Kernels(LossKind kind, int chunkRows) {
    ContrastiveLoss core = kind == LossKind.SOFTMAX ? SoftmaxLoss.of() : SigmoidLoss.of();
    try (PyTorchContrastiveLoss loss = open(kind, chunkRows)) {
      for (LossParameters p : PARAMETERS) {
        LossResult expected = core.valueAndGradients(X, Y, p);
        LossResult actual = loss.valueAndGradients(X, Y, p);
        String what = loss + " vs " + core + " " + p;
        // Both sides are float32 kernels: each carries the tolerances above, so allow twice them.
        assertClose(expected.value(), actual.value(), VALUE_RTOL, 2 * VALUE_ATOL, what + " value");
        double t = p.temperature();
        double[][] gx = Batches.toDouble(expected.gradImages());
        double[][] gy = Batches.toDouble(expected.gradTexts());
        assertAllClose(gx, actual.gradImages(), 0, 2 * gradientAtol(gx, t));
        assertAllClose(gy, actual.gradTexts(), 0, 2 * gradientAtol(gy, t));
        assertClose(
            expected.gradLogTemperature(),
            actual.gradLogTemperature(),
            VALUE_RTOL,
            2 * ULPS_OF_T * t,
            what + " ∂/∂ log t");
        assertClose(
            expected.gradBias(), actual.gradBias(), VALUE_RTOL, FLOAT32_RTOL, what + " ∂/∂b");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LossKind.class)
  void manyCalls_leaveNoArrayInTheLossOrTheEngine(LossKind kind) {
    NDManager engine = engineRootManager();
    int engineArraysBefore = engine.getManagedArrays().size();
    try (PyTorchContrastiveLoss full = PyTorchContrastiveLoss.of(kind, ComputeDevice.cpu());
        PyTorchContrastiveLoss chunked =
            PyTorchContrastiveLoss.chunked(kind, ComputeDevice.cpu(), 16)) {
      for (int i = 0; i < 8; i++) {
        LossParameters p = LossParameters.defaultsFor(kind);
        full.value(X, Y, p);
        full.valueAndGradients(X, Y, p);
        chunked.value(X, Y, p);
        chunked.valueAndGradients(X, Y, p);
      }
      assertEquals(0, full.managedArrayCount(), "arrays left in the full loss's manager");
      assertEquals(0, chunked.managedArrayCount(), "arrays left in the chunked loss's manager");
    }
    assertEquals(engineArraysBefore, engine.getManagedArrays().size(), "arrays left in the engine");
  }

  @Test
  void fullForm_servesConcurrentCallersOneAutogradAtATime() throws Exception {
    // Sigmoid: the full form that still runs under autograd (softmax's is explicit).
    LossParameters p = LossParameters.SIGMOID_DEFAULT;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (PyTorchContrastiveLoss loss =
        PyTorchContrastiveLoss.of(LossKind.SIGMOID, ComputeDevice.cpu())) {
      LossResult expected = loss.valueAndGradients(X, Y, p);
      List<Future<LossResult>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        results.add(pool.submit(() -> loss.valueAndGradients(X, Y, p)));
      }
      for (Future<LossResult> f : results) {
        LossResult r = get(f);
        assertClose(expected.value(), r.value(), 0, 0, "same inputs, same value");
        assertAllClose(expected.gradTexts(), r.gradTexts(), 0, 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fullSoftmax_whereAPositivePairsProbabilityUnderflows_matchesFloat64Reference() {
    // t = 100: pair 0 has cosine −1 (logit −100) while its row holds a cosine of +1 (logit +100)
    // and its column one of 0, so its probabilities, e^−200 by row and e^−100 by column, are zero
    // and subnormal in float32; the kernel must fall back to log_softmax for both directions.
    FloatMatrix x = FloatMatrix.of(3, 2, new float[] {1, 0, 0, 1, 1, 0});
    FloatMatrix y = FloatMatrix.of(3, 2, new float[] {-1, 0, 0, 1, 1, 0});
    LossParameters p = new LossParameters(Math.log(100), 0);
    ReferenceLosses.Result expected =
        ReferenceLosses.softmax(Batches.toDouble(x), Batches.toDouble(y), p.logTemperature());
    try (PyTorchContrastiveLoss loss =
        PyTorchContrastiveLoss.of(LossKind.SOFTMAX, ComputeDevice.cpu())) {
      LossResult actual = loss.valueAndGradients(x, y, p);

      // Row 0 alone contributes 200 / 3 / 2 ≈ 33; without the fallback the value is +∞.
      assertTrue(
          expected.value() > 33, "the case must leave the normal range: loss " + expected.value());
      assertClose(expected.value(), actual.value(), FLOAT32_RTOL, 0, "value");
      assertAllClose(expected.gradX(), actual.gradImages(), 0, ULPS_OF_T * 100);
      assertAllClose(expected.gradY(), actual.gradTexts(), 0, ULPS_OF_T * 100);
      assertClose(
          expected.gradLogTemperature(),
          actual.gradLogTemperature(),
          FLOAT32_RTOL,
          ULPS_OF_T * 100,
          "∂/∂ log t");
    }
  }

  @Test
  void valueAndGradients_withDifferentShapes_throwsNamingBothShapes() {
    FloatMatrix texts = Batches.unitRows(B, D + 1, 1);
    try (PyTorchContrastiveLoss loss =
        PyTorchContrastiveLoss.of(LossKind.SOFTMAX, ComputeDevice.cpu())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> loss.valueAndGradients(X, texts, LossParameters.SOFTMAX_DEFAULT));
      assertTrue(e.getMessage().contains("[48 x 20]"), e.getMessage());
      assertTrue(e.getMessage().contains("[48 x 21]"), e.getMessage());
    }
  }

  @Test
  void value_withNaN_throwsNamingThePosition() {
    float[] data = Y.toArray();
    data[2 * D + 5] = Float.NaN;
    FloatMatrix texts = FloatMatrix.wrap(B, D, data);
    try (PyTorchContrastiveLoss loss =
        PyTorchContrastiveLoss.chunked(LossKind.SIGMOID, ComputeDevice.cpu(), 8)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> loss.value(X, texts, LossParameters.SIGMOID_DEFAULT));
      assertTrue(
          e.getMessage().contains("texts must be finite, got NaN at (2, 5)"), e.getMessage());
    }
  }

  @Test
  void chunked_withZeroChunkRows_throwsNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PyTorchContrastiveLoss.chunked(LossKind.SOFTMAX, ComputeDevice.cpu(), 0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void closedLoss_throwsAndCloseIsIdempotent() {
    PyTorchContrastiveLoss loss = PyTorchContrastiveLoss.of(LossKind.SIGMOID, ComputeDevice.cpu());
    loss.close();
    loss.close();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> loss.value(X, Y, LossParameters.SIGMOID_DEFAULT));
    assertEquals("PyTorchContrastiveLoss is closed", e.getMessage());
  }

  /** Returns the engine's system manager, the root that every base manager hangs from. */
  private static NDManager engineRootManager() {
    try (NDManager probe = ComputeDevice.cpu().newBaseManager()) {
      return probe.getParentManager();
    }
  }

  private static LossResult get(Future<LossResult> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new AssertionError("concurrent call failed", e.getCause());
    }
  }

  private static double maxAbs(double[][] m) {
    double max = 0;
    for (double[] row : m) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  /** Absolute gradient tolerance: the larger of the relative and the ulp-of-t/B bounds above. */
  private static double gradientAtol(double[][] expected, double t) {
    return Math.max(GRADIENT_ATOL_PER_MAX * maxAbs(expected), ULPS_OF_T * t / B);
  }
}
