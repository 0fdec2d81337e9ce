package dev.lit4j.pytorch.text;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/**
 * BERT and MiniLM use GELU's exact form {@code x·Φ(x) = x/2·(1 + erf(x/√2))}, not the tanh
 * approximation; the encoder relies on DJL's {@link Activation#gelu} being that form on PyTorch.
 */
class GeluTest {
  /** float32 evaluation against float64; the tanh approximation is off by up to ~5e-4 here. */
  private static final double TOL = 2e-6;

  @Test
  void djlGelu_isTheErfForm() {
    int n = 121;
    float[] x = new float[n];
    double[] expected = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -6f + 0.1f * i;
      expected[i] = 0.5 * x[i] * (1 + Erf.erf(x[i] / Math.sqrt(2)));
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] actual = Activation.gelu(m.create(x)).toFloatArray();
      double[] got = new double[n];
      for (int i = 0; i < n; i++) {
        got[i] = actual[i];
      }
      assertAllClose(expected, got, 0, TOL);
    }
  }
}
