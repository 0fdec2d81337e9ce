package dev.lit4j.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.math.FloatMatrix;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LossInputValidationTest {
  private static final LossParameters P = LossParameters.SIGMOID_DEFAULT;

  static Stream<ContrastiveLoss> losses() {
    return Stream.of(
        SoftmaxLoss.of(), SoftmaxLoss.chunked(2), SigmoidLoss.of(), SigmoidLoss.chunked(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void valueAndGradients_withDifferentShapes_namesBothShapes(ContrastiveLoss loss) {
    FloatMatrix x = FloatMatrix.zeros(4, 3);
    FloatMatrix y = FloatMatrix.zeros(4, 2);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.valueAndGradients(x, y, P));

    assertTrue(
        e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void value_withEmptyBatch_namesB(ContrastiveLoss loss) {
    FloatMatrix x = FloatMatrix.zeros(0, 3);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.value(x, x, P));

    assertTrue(e.getMessage().contains("B = 0"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void value_withNaN_namesItsPosition(ContrastiveLoss loss) {
    FloatMatrix x = FloatMatrix.zeros(3, 2);
    float[] data = new float[6];
    data[2 * 2 + 1] = Float.NaN;
    FloatMatrix y = FloatMatrix.of(3, 2, data);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.value(x, y, P));

    assertTrue(e.getMessage().contains("texts value at (row 2, col 1) is NaN"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void valueAndGradients_withInfinity_namesItsPosition(ContrastiveLoss loss) {
    float[] data = new float[6];
    data[1] = Float.NEGATIVE_INFINITY;
    FloatMatrix x = FloatMatrix.of(3, 2, data);
    FloatMatrix y = FloatMatrix.zeros(3, 2);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.valueAndGradients(x, y, P));

    assertTrue(
        e.getMessage().contains("images value at (row 0, col 1) is -Infinity"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void value_whenSimilarityOverflowsFloat32_namesThePair(ContrastiveLoss loss) {
    FloatMatrix x = FloatMatrix.of(2, 2, new float[] {0, 0, 3e38f, 3e38f});

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> loss.value(x, x, P));

    assertTrue(e.getMessage().contains("x1·y1"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void value_withNullParameters_throwsNamingThem(ContrastiveLoss loss) {
    FloatMatrix x = FloatMatrix.zeros(2, 2);

    NullPointerException e = assertThrows(NullPointerException.class, () -> loss.value(x, x, null));

    assertTrue(e.getMessage().contains("parameters"), e.getMessage());
  }

  @Test
  void softmaxChunked_withZeroRows_namesTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SoftmaxLoss.chunked(0));

    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void sigmoidChunked_withNegativeRows_namesTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SigmoidLoss.chunked(-3));

    assertTrue(e.getMessage().contains("got -3"), e.getMessage());
  }
}
