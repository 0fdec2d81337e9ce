package dev.lit4j.loss;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.math.FloatMatrix;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Defining properties of the losses, checked on the float32 kernels. */
class LossPropertiesTest {
  /** Gradients compared with an absolute tolerance of FLOAT32_RTOL times their largest element. */
  private static final double GRADIENT_ATOL_PER_MAX = FLOAT32_RTOL;

  private static final int B = 12;
  private static final int D = 8;

  static Stream<ContrastiveLoss> losses() {
    return Stream.of(
        SoftmaxLoss.of(), SoftmaxLoss.chunked(5), SigmoidLoss.of(), SigmoidLoss.chunked(5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void loss_isNonNegative(ContrastiveLoss loss) {
    Random random = new Random(1);
    for (int trial = 0; trial < 5; trial++) {
      FloatMatrix x = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
      FloatMatrix y = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
      LossParameters p = new LossParameters(random.nextGaussian() * 3, random.nextGaussian() * 5);

      double value = loss.value(x, y, p);

      assertTrue(value >= 0, loss + " gave " + value + " at " + p);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void swappingTowers_keepsLossAndSwapsGradients(ContrastiveLoss loss) {
    // Both losses are symmetric in X and Y: swapping them transposes z, and both sum over all of z
    // (softmax: row and column cross-entropies trade places; sigmoid: s is symmetric).
    Random random = new Random(2);
    FloatMatrix x = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
    FloatMatrix y = LossFixtures.toMatrix(LossFixtures.unitRows(random, B, D));
    LossParameters p = LossParameters.defaultsFor(loss.kind());

    LossResult xy = loss.valueAndGradients(x, y, p);
    LossResult yx = loss.valueAndGradients(y, x, p);

    assertClose(xy.value(), yx.value(), FLOAT32_RTOL, 0, "value");
    assertAllClose(xy.gradImages(), yx.gradTexts(), FLOAT32_RTOL, atol(xy.gradImages()));
    assertAllClose(xy.gradTexts(), yx.gradImages(), FLOAT32_RTOL, atol(xy.gradTexts()));
    assertClose(xy.gradLogTemperature(), yx.gradLogTemperature(), FLOAT32_RTOL, 1e-9, "∂L/∂log t");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void permutingPairsJointly_keepsLossAndPermutesGradients(ContrastiveLoss loss) {
    Random random = new Random(3);
    double[][] x = LossFixtures.unitRows(random, B, D);
    double[][] y = LossFixtures.unitRows(random, B, D);
    int[] perm = {5, 0, 11, 3, 7, 1, 9, 2, 10, 4, 8, 6};
    double[][] px = new double[B][];
    double[][] py = new double[B][];
    for (int i = 0; i < B; i++) {
      px[i] = x[perm[i]];
      py[i] = y[perm[i]];
    }
    LossParameters p = LossParameters.defaultsFor(loss.kind());

    LossResult r = loss.valueAndGradients(LossFixtures.toMatrix(x), LossFixtures.toMatrix(y), p);
    LossResult pr = loss.valueAndGradients(LossFixtures.toMatrix(px), LossFixtures.toMatrix(py), p);

    assertClose(r.value(), pr.value(), FLOAT32_RTOL, 0, "value");
    double atol = atol(r.gradImages());
    for (int i = 0; i < B; i++) {
      assertAllClose(r.gradImages().row(perm[i]), pr.gradImages().row(i), FLOAT32_RTOL, atol);
      assertAllClose(r.gradTexts().row(perm[i]), pr.gradTexts().row(i), FLOAT32_RTOL, atol);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void scalingImagesByC_equalsAddingLogCToLogTemperature(ContrastiveLoss loss) {
    // z = t · (c x)·y = (t c) · x·y: scaling one tower is the same as scaling the temperature.
    double c = 2.5;
    Random random = new Random(4);
    double[][] x = LossFixtures.unitRows(random, B, D);
    double[][] y = LossFixtures.unitRows(random, B, D);
    LossParameters p = LossParameters.defaultsFor(loss.kind());
    LossParameters shifted = new LossParameters(p.logTemperature() + Math.log(c), p.bias());

    LossResult scaled =
        loss.valueAndGradients(
            LossFixtures.toMatrix(LossFixtures.scaled(x, c)), LossFixtures.toMatrix(y), p);
    LossResult shiftedT =
        loss.valueAndGradients(LossFixtures.toMatrix(x), LossFixtures.toMatrix(y), shifted);

    assertClose(shiftedT.value(), scaled.value(), FLOAT32_RTOL, 0, "value");
    assertClose(
        shiftedT.gradLogTemperature(),
        scaled.gradLogTemperature(),
        FLOAT32_RTOL,
        1e-9,
        "∂L/∂log t");
    // ∂L/∂y is the same function of z; ∂L/∂(cx) = (∂L/∂x at shifted t) / c.
    assertAllClose(
        shiftedT.gradTexts(), scaled.gradTexts(), FLOAT32_RTOL, atol(shiftedT.gradTexts()));
    double[][] expectedGradX =
        LossFixtures.scaled(LossFixtures.toRows(shiftedT.gradImages()), 1 / c);
    assertAllClose(
        expectedGradX,
        scaled.gradImages(),
        FLOAT32_RTOL,
        GRADIENT_ATOL_PER_MAX * LossFixtures.maxAbs(expectedGradX));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void logitsOfPlusMinus1e4_giveFiniteResultsMatchingFloat64(ContrastiveLoss loss) {
    // Unit vectors with t = 1e4: xᵢ = eᵢ, yᵢ = ±eᵢ alternately, so the diagonal logits are ±1e4
    // and the rest 0; y₅ = −e₀ adds an off-diagonal logit z₀₅ = −1e4.
    int b = 6;
    double[][] x = new double[b][b];
    double[][] y = new double[b][b];
    for (int i = 0; i < b; i++) {
      x[i][i] = 1;
      y[i][i] = i % 2 == 0 ? 1 : -1;
    }
    y[5][5] = 0;
    y[5][0] = -1;
    LossParameters p = new LossParameters(Math.log(1e4), -5);

    LossResult r = loss.valueAndGradients(LossFixtures.toMatrix(x), LossFixtures.toMatrix(y), p);

    assertTrue(Double.isFinite(r.value()), "value " + r.value());
    assertTrue(r.gradImages().indexOfNonFinite() < 0 && r.gradTexts().indexOfNonFinite() < 0);
    LossKernelsTest.assertMatchesReference(
        LossKernelsTest.reference(loss.kind(), x, y, p), r, loss + " at ±1e4");
  }

  @Test
  void softmax_withPerfectAlignmentAndLargeTemperature_isNearZero() {
    // X = Y = identity rows: zᵢᵢ = t, zᵢⱼ = 0, so each cross-entropy is log(1 + (B−1) e^(−t)).
    int b = 8;
    double[][] eye = new double[b][b];
    for (int i = 0; i < b; i++) {
      eye[i][i] = 1;
    }
    FloatMatrix x = LossFixtures.toMatrix(eye);
    LossParameters p = new LossParameters(Math.log(1e4), 0);

    for (ContrastiveLoss loss : new ContrastiveLoss[] {SoftmaxLoss.of(), SoftmaxLoss.chunked(3)}) {
      LossResult r = loss.valueAndGradients(x, x, p);
      assertClose(0, r.value(), 0, 1e-300, loss + " value");
      assertClose(0, r.gradLogTemperature(), 0, 1e-300, loss + " ∂L/∂log t");
    }
  }

  private static double atol(FloatMatrix reference) {
    double max = 0;
    for (float v : reference.toArray()) {
      max = Math.max(max, Math.abs(v));
    }
    return GRADIENT_ATOL_PER_MAX * max;
  }
}
