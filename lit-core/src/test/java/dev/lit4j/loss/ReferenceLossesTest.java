package dev.lit4j.loss;

import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ReferenceLossesTest {
  /** Central-difference step: truncation error ~h² ≈ 1e-12, cancellation ~1e-16 / h ≈ 1e-10. */
  private static final double H = 1e-6;

  /** Absolute agreement of analytic and central-difference gradients (both errors above, ×100). */
  private static final double FINITE_DIFFERENCE_ATOL = 1e-8;

  private static final int B = 5;
  private static final int D = 3;
  private static final double LOG_T = Math.log(3);
  private static final double BIAS = -1.5;

  @Test
  void softmaxGradients_matchCentralDifferences() {
    Random random = new Random(11);
    double[][] x = LossFixtures.unitRows(random, B, D);
    double[][] y = LossFixtures.unitRows(random, B, D);

    ReferenceLosses.Result r = ReferenceLosses.softmax(x, y, LOG_T);

    checkMatrixGradient(r.gradX(), x, xx -> ReferenceLosses.softmax(xx, y, LOG_T).value(), "∂L/∂X");
    checkMatrixGradient(r.gradY(), y, yy -> ReferenceLosses.softmax(x, yy, LOG_T).value(), "∂L/∂Y");
    double dLogT =
        (ReferenceLosses.softmax(x, y, LOG_T + H).value()
                - ReferenceLosses.softmax(x, y, LOG_T - H).value())
            / (2 * H);
    assertClose(dLogT, r.gradLogTemperature(), 0, FINITE_DIFFERENCE_ATOL, "∂L/∂log t");
    assertEquals(0.0, r.gradBias(), "the softmax loss has no bias");
  }

  @Test
  void sigmoidGradients_matchCentralDifferences() {
    Random random = new Random(12);
    double[][] x = LossFixtures.unitRows(random, B, D);
    double[][] y = LossFixtures.unitRows(random, B, D);

    ReferenceLosses.Result r = ReferenceLosses.sigmoid(x, y, LOG_T, BIAS);

    checkMatrixGradient(
        r.gradX(), x, xx -> ReferenceLosses.sigmoid(xx, y, LOG_T, BIAS).value(), "∂L/∂X");
    checkMatrixGradient(
        r.gradY(), y, yy -> ReferenceLosses.sigmoid(x, yy, LOG_T, BIAS).value(), "∂L/∂Y");
    double dLogT =
        (ReferenceLosses.sigmoid(x, y, LOG_T + H, BIAS).value()
                - ReferenceLosses.sigmoid(x, y, LOG_T - H, BIAS).value())
            / (2 * H);
    assertClose(dLogT, r.gradLogTemperature(), 0, FINITE_DIFFERENCE_ATOL, "∂L/∂log t");
    double dBias =
        (ReferenceLosses.sigmoid(x, y, LOG_T, BIAS + H).value()
                - ReferenceLosses.sigmoid(x, y, LOG_T, BIAS - H).value())
            / (2 * H);
    assertClose(dBias, r.gradBias(), 0, FINITE_DIFFERENCE_ATOL, "∂L/∂b");
  }

  @Test
  void softmax_ofOnePair_isZero() {
    // With B = 1 each row and column softmax is over a single logit: probability 1, loss 0.
    double[][] x = {{0.6, 0.8}};
    double[][] y = {{1, 0}};

    ReferenceLosses.Result r = ReferenceLosses.softmax(x, y, LOG_T);

    assertClose(0, r.value(), 0, 1e-15, "loss");
  }

  @Test
  void sigmoid_ofOnePair_isSoftplusOfMinusLogit() {
    double[][] x = {{0.6, 0.8}};
    double[][] y = {{1, 0}};

    ReferenceLosses.Result r = ReferenceLosses.sigmoid(x, y, LOG_T, BIAS);

    double u = 3 * 0.6 + BIAS;
    assertClose(Math.log(1 + Math.exp(-u)), r.value(), 1e-14, 0, "loss");
  }

  @Test
  void softmax_withDifferentRowCounts_namesBoth() {
    double[][] x = {{1.0}, {2.0}};
    double[][] y = {{1.0}};

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ReferenceLosses.softmax(x, y, 0));

    assertTrue(e.getMessage().contains("got 2 and 1"), e.getMessage());
  }

  private static void checkMatrixGradient(
      double[][] analytic, double[][] at, ToDoubleFunction<double[][]> f, String what) {
    for (int i = 0; i < at.length; i++) {
      for (int k = 0; k < at[i].length; k++) {
        double[][] plus = copy(at);
        double[][] minus = copy(at);
        plus[i][k] += H;
        minus[i][k] -= H;
        double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * H);
        assertClose(
            numeric, analytic[i][k], 0, FINITE_DIFFERENCE_ATOL, what + " (" + i + ", " + k + ")");
      }
    }
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
