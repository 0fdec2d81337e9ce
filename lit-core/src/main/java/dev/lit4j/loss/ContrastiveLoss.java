package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;

/**
 * A contrastive loss over {@code B} paired rows: row {@code i} of the image matrix {@code X} and
 * row {@code i} of the text matrix {@code Y} are a positive pair, every other combination a
 * negative. Inputs are expected to be L2-normalised, but the loss and its gradients are defined
 * (and computed) for any finite input.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface ContrastiveLoss {

  /** {@return which loss this is} */
  LossKind kind();

  /**
   * Computes the loss value only.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param parameters the temperature and bias
   * @return the mean loss over the batch
   * @throws IllegalArgumentException if the shapes differ, {@code B = 0}, or an input is not finite
   */
  double value(FloatMatrix images, FloatMatrix texts, LossParameters parameters);

  /**
   * Computes the loss value and its gradients with respect to both inputs, {@code log t} and {@code
   * b}.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param parameters the temperature and bias
   * @return the loss and its gradients
   * @throws IllegalArgumentException if the shapes differ, {@code B = 0}, or an input is not finite
   */
  LossResult valueAndGradients(FloatMatrix images, FloatMatrix texts, LossParameters parameters);
}
