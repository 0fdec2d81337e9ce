package dev.lit4j.pytorch.image.keras;

/**
 * How a trainable model's {@code BatchNormalization} layers run in a forward pass, Keras' {@code
 * training} argument.
 */
public enum ForwardMode {
  /**
   * Normalise with the batch's own statistics (mean and biased variance over {@code N, H, W}) and
   * update the moving statistics in place: {@code moving ← momentum · moving + (1 − momentum) ·
   * batch}, with the unbiased batch variance, as PyTorch and TensorFlow's fused batch norm do.
   */
  TRAINING,
  /** Normalise with the moving statistics, which stay unchanged: the locked tower's arithmetic. */
  INFERENCE
}
