package dev.lit4j.model;

import dev.lit4j.loss.LossKind;
import java.util.Objects;

/**
 * How cosine similarities become scores: the loss the model was trained with and its learned
 * temperature {@code t} and bias {@code b}.
 *
 * <ul>
 *   <li>{@link LossKind#SOFTMAX}: the score of class {@code k} is {@code softmax_k(t · cos)}; the
 *       bias cancels and is ignored.
 *   <li>{@link LossKind#SIGMOID}: the score of class {@code k} is {@code σ(t · cos_k + b)},
 *       independently per class.
 * </ul>
 *
 * @param loss the training loss
 * @param temperature the learned logit scale {@code t > 0}
 * @param bias the learned logit bias {@code b}
 */
public record ScoreCalibration(LossKind loss, double temperature, double bias) {

  /** LiT's softmax initialisation: {@code t = 10}. */
  public static final ScoreCalibration SOFTMAX_DEFAULT =
      new ScoreCalibration(LossKind.SOFTMAX, 10, 0);

  /**
   * @param loss the training loss
   * @param temperature the learned logit scale {@code t > 0}
   * @param bias the learned logit bias {@code b}
   * @throws IllegalArgumentException if {@code temperature} is not a positive finite number or
   *     {@code bias} is not finite
   */
  public ScoreCalibration {
    Objects.requireNonNull(loss, "loss");
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite, got " + temperature);
    }
    if (!Double.isFinite(bias)) {
      throw new IllegalArgumentException("bias must be finite, got " + bias);
    }
  }
}
