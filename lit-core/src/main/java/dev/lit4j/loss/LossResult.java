package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;
import java.util.Objects;

/**
 * A loss value with its gradients.
 *
 * @param value the mean loss over the batch
 * @param gradImages {@code ∂loss/∂X}, shape {@code [B, D]}
 * @param gradTexts {@code ∂loss/∂Y}, shape {@code [B, D]}
 * @param gradLogTemperature {@code ∂loss/∂ log t}
 * @param gradBias {@code ∂loss/∂b}; zero for the softmax loss
 */
public record LossResult(
    double value,
    FloatMatrix gradImages,
    FloatMatrix gradTexts,
    double gradLogTemperature,
    double gradBias) {
  /**
   * @param value the mean loss over the batch
   * @param gradImages {@code ∂loss/∂X}, shape {@code [B, D]}
   * @param gradTexts {@code ∂loss/∂Y}, shape {@code [B, D]}
   * @param gradLogTemperature {@code ∂loss/∂ log t}
   * @param gradBias {@code ∂loss/∂b}; zero for the softmax loss
   * @throws IllegalArgumentException if the gradient shapes differ
   */
  public LossResult {
    Objects.requireNonNull(gradImages, "gradImages");
    Objects.requireNonNull(gradTexts, "gradTexts");
    if (gradImages.rows() != gradTexts.rows() || gradImages.cols() != gradTexts.cols()) {
      throw new IllegalArgumentException(
          "gradient shapes differ: images " + gradImages + ", texts " + gradTexts);
    }
  }
}
