package dev.lit4j.loss;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lit4j.math.FloatMatrix;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The float32 kernels, unchunked and chunked, against the float64 {@link ReferenceLosses}. */
class LossKernelsTest {
  /**
   * Gradient elements are sums of B·D float32 products whose small entries can cancel; they are
   * compared with an absolute tolerance of FLOAT32_RTOL times the largest reference element.
   */
  private static final double GRADIENT_ATOL_PER_MAX = FLOAT32_RTOL;

  private static final int B = 10;
  private static final int D = 24;

  static Stream<Arguments> losses() {
    return Stream.of(
        Arguments.of(SoftmaxLoss.of()),
        Arguments.of(SoftmaxLoss.chunked(1)),
        Arguments.of(SoftmaxLoss.chunked(3)), // does not divide B: a short last chunk
        Arguments.of(SoftmaxLoss.chunked(5)),
        Arguments.of(SoftmaxLoss.chunked(B)),
        Arguments.of(SoftmaxLoss.chunked(4 * B)),
        Arguments.of(SigmoidLoss.of()),
        Arguments.of(SigmoidLoss.chunked(1)),
        Arguments.of(SigmoidLoss.chunked(3)),
        Arguments.of(SigmoidLoss.chunked(B)),
        Arguments.of(SigmoidLoss.chunked(4 * B)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void valueAndGradients_matchFloat64Reference(ContrastiveLoss loss) {
    for (LossParameters p :
        new LossParameters[] {
          LossParameters.defaultsFor(loss.kind()),
          new LossParameters(Math.log(100), 2.5),
          new LossParameters(-1, 0)
        }) {
      Random random = new Random(42);
      double[][] x = LossFixtures.unitRows(random, B, D);
      double[][] y = LossFixtures.unitRows(random, B, D);
      y[3] = x[3].clone(); // one perfectly aligned pair

      LossResult actual =
          loss.valueAndGradients(LossFixtures.toMatrix(x), LossFixtures.toMatrix(y), p);

      assertMatchesReference(reference(loss.kind(), x, y, p), actual, loss + " " + p);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void value_equalsValueOfValueAndGradients(ContrastiveLoss loss) {
    Random random = new Random(43);
    FloatMatrix x = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
    FloatMatrix y = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
    LossParameters p = LossParameters.defaultsFor(loss.kind());

    assertClose(
        loss.valueAndGradients(x, y, p).value(), loss.value(x, y, p), 1e-15, 0, loss + " value");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("largerBatches")
  void chunked_equalsUnchunked_onALargerBatch(ContrastiveLoss unchunked, ContrastiveLoss chunked) {
    int b = 300;
    int d = 64;
    Random random = new Random(44);
    double[][] xRows = LossFixtures.unitRows(random, b, d);
    double[][] yRows = LossFixtures.unitRows(random, b, d);
    FloatMatrix x = LossFixtures.toMatrix(xRows);
    FloatMatrix y = LossFixtures.toMatrix(yRows);
    LossParameters p = LossParameters.defaultsFor(unchunked.kind());

    LossResult whole = unchunked.valueAndGradients(x, y, p);
    LossResult parts = chunked.valueAndGradients(x, y, p);

    assertClose(whole.value(), parts.value(), FLOAT32_RTOL, 0, "value");
    double atol = GRADIENT_ATOL_PER_MAX * maxAbs(whole.gradImages());
    assertAllClose(whole.gradImages(), parts.gradImages(), FLOAT32_RTOL, atol);
    assertAllClose(whole.gradTexts(), parts.gradTexts(), FLOAT32_RTOL, atol);
    assertClose(
        whole.gradLogTemperature(), parts.gradLogTemperature(), FLOAT32_RTOL, 1e-9, "∂L/∂log t");
    assertClose(whole.gradBias(), parts.gradBias(), FLOAT32_RTOL, 1e-9, "∂L/∂b");
    // and both against float64
    assertMatchesReference(reference(unchunked.kind(), xRows, yRows, p), parts, chunked.toString());
  }

  static Stream<Arguments> largerBatches() {
    return Stream.of(
        Arguments.of(SoftmaxLoss.of(), SoftmaxLoss.chunked(64)),
        Arguments.of(SoftmaxLoss.of(), SoftmaxLoss.chunked(299)),
        Arguments.of(SigmoidLoss.of(), SigmoidLoss.chunked(64)));
  }

  static ReferenceLosses.Result reference(
      LossKind kind, double[][] x, double[][] y, LossParameters p) {
    return kind == LossKind.SOFTMAX
        ? ReferenceLosses.softmax(x, y, p.logTemperature())
        : ReferenceLosses.sigmoid(x, y, p.logTemperature(), p.bias());
  }

  static void assertMatchesReference(
      ReferenceLosses.Result expected, LossResult actual, String what) {
    assertClose(expected.value(), actual.value(), FLOAT32_RTOL, 1e-9, what + " value");
    double atolX = GRADIENT_ATOL_PER_MAX * LossFixtures.maxAbs(expected.gradX());
    double atolY = GRADIENT_ATOL_PER_MAX * LossFixtures.maxAbs(expected.gradY());
    assertAllClose(expected.gradX(), actual.gradImages(), FLOAT32_RTOL, atolX);
    assertAllClose(expected.gradY(), actual.gradTexts(), FLOAT32_RTOL, atolY);
    assertClose(
        expected.gradLogTemperature(),
        actual.gradLogTemperature(),
        FLOAT32_RTOL,
        1e-9,
        what + " ∂L/∂log t");
    assertClose(expected.gradBias(), actual.gradBias(), FLOAT32_RTOL, 1e-9, what + " ∂L/∂b");
    assertEquals(expected.gradX().length, actual.gradImages().rows());
  }

  private static double maxAbs(FloatMatrix m) {
    double max = 0;
    for (float v : m.toArray()) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
