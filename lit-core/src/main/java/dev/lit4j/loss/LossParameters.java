package dev.lit4j.loss;

/**
 * The learnable scalars of a contrastive loss.
 *
 * @param logTemperature natural log of the logit scale {@code t} (LiT init: {@code ln 10})
 * @param bias the logit bias {@code b}; used by the sigmoid loss only (SigLIP init: {@code −10})
 */
public record LossParameters(double logTemperature, double bias) {
  /** The softmax default of big_vision's LiT configs: {@code t = 10}, no bias. */
  public static final LossParameters SOFTMAX_DEFAULT = new LossParameters(Math.log(10), 0);

  /** The SigLIP default: {@code t = 10}, {@code b = −10}. */
  public static final LossParameters SIGMOID_DEFAULT = new LossParameters(Math.log(10), -10);

  /**
   * @param logTemperature natural log of the logit scale {@code t} (LiT init: {@code ln 10})
   * @param bias the logit bias {@code b}; used by the sigmoid loss only (SigLIP init: {@code −10})
   * @throws IllegalArgumentException if a value is NaN or infinite
   */
  public LossParameters {
    if (!Double.isFinite(logTemperature)) {
      throw new IllegalArgumentException("logTemperature must be finite, got " + logTemperature);
    }
    if (!Double.isFinite(bias)) {
      throw new IllegalArgumentException("bias must be finite, got " + bias);
    }
  }

  /**
   * {@return the default parameters for {@code kind}}
   *
   * @param kind the loss
   */
  public static LossParameters defaultsFor(LossKind kind) {
    return kind == LossKind.SIGMOID ? SIGMOID_DEFAULT : SOFTMAX_DEFAULT;
  }

  /** {@return the temperature {@code t = exp(logTemperature)}} */
  public double temperature() {
    return Math.exp(logTemperature);
  }
}
