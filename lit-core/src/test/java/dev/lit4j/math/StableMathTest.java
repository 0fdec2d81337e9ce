package dev.lit4j.math;

import static dev.lit4j.testing.NumericAssertions.FLOAT64_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StableMathTest {

  @Test
  void logSumExp_atPlusAndMinus1e4_isFiniteAndExact() {
    assertClose(
        1e4 + Math.log(2), StableMath.logSumExp(new double[] {1e4, 1e4}), FLOAT64_RTOL, 0, "+1e4");
    assertClose(
        -1e4 + Math.log(3),
        StableMath.logSumExp(new double[] {-1e4, -1e4, -1e4}),
        FLOAT64_RTOL,
        0,
        "-1e4");
    assertClose(1e4, StableMath.logSumExp(new double[] {1e4, -1e4}), FLOAT64_RTOL, 0, "mixed");
  }

  @Test
  void logSumExp_matchesNaiveFormulaInSafeRange() {
    Random random = new Random(3);
    double[] v = new double[50];
    double naive = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = 20 * random.nextDouble() - 10;
      naive += Math.exp(v[i]);
    }
    assertClose(Math.log(naive), StableMath.logSumExp(v), FLOAT64_RTOL, 0, "logSumExp");
  }

  @Test
  void softmaxFromLogSumExp_sumsToOne_evenAtPlusAndMinus1e4() {
    Random random = new Random(4);
    double[] v = new double[257];
    for (int i = 0; i < v.length; i++) {
      v[i] = (random.nextBoolean() ? 1e4 : -1e4) * random.nextDouble();
    }
    double lse = StableMath.logSumExp(v);
    double sum = 0;
    for (double x : v) {
      sum += Math.exp(x - lse);
    }
    assertClose(1, sum, FLOAT64_RTOL, 0, "Σ softmax");
  }

  @Test
  void logSumExp_ofNothing_throws() {
    double[] empty = new double[0];
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StableMath.logSumExp(empty));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
  }

  @Test
  void softplusAndSigmoid_areFiniteAndExactAtPlusAndMinus1e4() {
    assertClose(1e4, StableMath.softplus(1e4), FLOAT64_RTOL, 0, "softplus(1e4)");
    assertClose(0, StableMath.softplus(-1e4), 0, 1e-300, "softplus(-1e4)");
    assertClose(-1e4, StableMath.logSigmoid(-1e4), FLOAT64_RTOL, 0, "logSigmoid(-1e4)");
    assertClose(1, StableMath.sigmoid(1e4), FLOAT64_RTOL, 0, "sigmoid(1e4)");
    assertClose(0, StableMath.sigmoid(-1e4), 0, 1e-300, "sigmoid(-1e4)");
  }

  @Test
  void softplusAndSigmoid_matchDefinitionsInSafeRange() {
    for (double x = -30; x <= 30; x += 0.37) {
      assertClose(Math.log(1 + Math.exp(x)), StableMath.softplus(x), 1e-12, 1e-15, "softplus " + x);
      assertClose(1 / (1 + Math.exp(-x)), StableMath.sigmoid(x), 1e-12, 1e-15, "sigmoid " + x);
      assertClose(
          1, StableMath.sigmoid(x) + StableMath.sigmoid(-x), FLOAT64_RTOL, 0, "σ(x)+σ(−x) " + x);
    }
  }
}
