package dev.lit4j.zeroshot;

import dev.lit4j.model.ScoreCalibration;

/** Turns cosine similarities into class scores per a {@link ScoreCalibration}. */
final class Calibrated {
  private Calibrated() {}

  /**
   * Returns {@code softmax(t · cos)} for {@code SOFTMAX} or {@code σ(t · cos_k + b)} per class for
   * {@code SIGMOID}, in float64.
   */
  static double[] scores(ScoreCalibration calibration, double[] cosines) {
    double t = calibration.temperature();
    double[] out = new double[cosines.length];
    switch (calibration.loss()) {
      case SOFTMAX -> {
        // Subtracting the max logit keeps exp() in range; softmax is invariant to the shift.
        double max = Double.NEGATIVE_INFINITY;
        for (double c : cosines) {
          max = Math.max(max, t * c);
        }
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
          out[k] = Math.exp(t * cosines[k] - max);
          sum += out[k];
        }
        for (int k = 0; k < out.length; k++) {
          out[k] /= sum;
        }
      }
      case SIGMOID -> {
        for (int k = 0; k < out.length; k++) {
          out[k] = sigmoid(t * cosines[k] + calibration.bias());
        }
      }
    }
    return out;
  }

  /** σ(z), evaluated without overflow for large |z|. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }
}
