package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;

/**
 * The contrastive loss of a training step on NDArrays: once through autograd (the whole {@code B ×
 * B} logit matrix in memory) and once chunked, with its gradients computed in memory bounded by the
 * chunk size.
 */
interface BatchLoss {

  /**
   * Returns the mean loss as a differentiable scalar.
   *
   * @param images {@code X}, {@code [B, D]}
   * @param texts {@code Y}, {@code [B, D]}
   * @param logTemperature {@code log t}, a scalar
   * @param bias {@code b}, a scalar (ignored by the softmax loss)
   */
  NDArray value(NDArray images, NDArray texts, NDArray logTemperature, NDArray bias);

  /**
   * Returns the loss and its gradients with respect to all four inputs, never materialising more
   * than {@code chunkRows × B} logits. The caller closes the result.
   */
  Gradients valueAndGradients(
      NDArray images, NDArray texts, NDArray logTemperature, NDArray bias, int chunkRows);

  /** A loss value with its gradients; closes the arrays it holds. */
  interface Gradients extends AutoCloseable {
    /** Returns the loss scalar. */
    NDArray value();

    /** Returns {@code ∂loss/∂X}, {@code [B, D]}. */
    NDArray gradImages();

    /** Returns {@code ∂loss/∂Y}, {@code [B, D]}. */
    NDArray gradTexts();

    /** Returns {@code ∂loss/∂ log t}, a scalar. */
    NDArray gradLogTemperature();

    /** Returns {@code ∂loss/∂b}, a scalar (zero for softmax). */
    NDArray gradBias();

    @Override
    void close();
  }
}
