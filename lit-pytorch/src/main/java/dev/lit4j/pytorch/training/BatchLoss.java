package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import dev.lit4j.loss.LossKind;
import dev.lit4j.pytorch.kernel.NdContrastiveLosses;

/**
 * The contrastive loss of a training step on NDArrays: a scalar whose value is the mean loss and
 * whose autograd gradients are the loss's with respect to the embeddings, {@code log t} and {@code
 * b}.
 */
@FunctionalInterface
interface BatchLoss {

  /**
   * Returns the loss, recorded by autograd.
   *
   * @param images {@code X}, {@code [B, D]}
   * @param texts {@code Y}, {@code [B, D]}
   * @param logTemperature {@code log t}, a scalar
   * @param bias {@code b}, a scalar (ignored by the softmax loss)
   */
  NDArray value(NDArray images, NDArray texts, NDArray logTemperature, NDArray bias);

  /**
   * Returns lit-pytorch's kernel for {@code kind}: with {@code chunkRows = 0} the plain autograd
   * expression (the whole {@code B × B} logit matrix lives until backward), otherwise the chunked
   * surrogate of {@link NdContrastiveLosses#softmaxChunked}/{@link
   * NdContrastiveLosses#sigmoidChunked}, which holds at most {@code chunkRows × B} logits and
   * back-propagates the same gradients.
   */
  static BatchLoss of(LossKind kind, int chunkRows) {
    if (kind == LossKind.SOFTMAX) {
      return chunkRows == 0
          ? (x, y, logT, b) -> NdContrastiveLosses.softmax(x, y, logT)
          : (x, y, logT, b) -> NdContrastiveLosses.softmaxChunked(x, y, logT, chunkRows);
    }
    return chunkRows == 0
        ? NdContrastiveLosses::sigmoid
        : (x, y, logT, b) -> NdContrastiveLosses.sigmoidChunked(x, y, logT, b, chunkRows);
  }
}
