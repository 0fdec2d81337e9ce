package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;

/**
 * A contrastive loss value with its gradients, as constant (detached) {@code NDArray}s on the
 * inputs' device, in the inputs' dtype.
 *
 * <p>The arrays are attached to the manager of the {@code images} array the loss was computed from;
 * they are released with that manager, or earlier by {@link #close()}. A trainer that holds
 * embeddings from a tower's forward pass back-propagates these gradients into the tower with a
 * vector–Jacobian product, e.g. by {@code collector.backward(texts.mul(gradTexts()).sum())}; {@link
 * NdContrastiveLosses#softmaxChunked} and {@link NdContrastiveLosses#sigmoidChunked} do exactly
 * that for all inputs at once.
 *
 * <p>Not thread-safe (DJL arrays are not).
 */
public final class NdLossGradients implements AutoCloseable {
  private final NDArray value;
  private final NDArray gradImages;
  private final NDArray gradTexts;
  private final NDArray gradLogTemperature;
  private final NDArray gradBias;

  NdLossGradients(
      NDArray value,
      NDArray gradImages,
      NDArray gradTexts,
      NDArray gradLogTemperature,
      NDArray gradBias) {
    this.value = value;
    this.gradImages = gradImages;
    this.gradTexts = gradTexts;
    this.gradLogTemperature = gradLogTemperature;
    this.gradBias = gradBias;
  }

  /** {@return the mean loss over the batch, shape {@code []}} */
  public NDArray value() {
    return value;
  }

  /** {@return {@code ∂loss/∂X}, shape {@code [B, D]}} */
  public NDArray gradImages() {
    return gradImages;
  }

  /** {@return {@code ∂loss/∂Y}, shape {@code [B, D]}} */
  public NDArray gradTexts() {
    return gradTexts;
  }

  /** {@return {@code ∂loss/∂ log t}, in the shape of the {@code logTemperature} argument} */
  public NDArray gradLogTemperature() {
    return gradLogTemperature;
  }

  /**
   * {@return {@code ∂loss/∂b} in the shape of the {@code bias} argument; for the softmax loss,
   * which has no bias, a zero of shape {@code []}}
   */
  public NDArray gradBias() {
    return gradBias;
  }

  /** Releases the five arrays now; idempotent. */
  @Override
  public void close() {
    value.close();
    gradImages.close();
    gradTexts.close();
    gradLogTemperature.close();
    gradBias.close();
  }
}
