package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.lit4j.pytorch.internal.NdScalars;

/**
 * Softmax and sigmoid contrastive losses on DJL {@code NDArray}s, for use inside a {@code
 * GradientCollector}.
 *
 * <p>Inputs: {@code images} {@code X} and {@code texts} {@code Y} of shape {@code [B, D]} on one
 * device with one floating dtype (row {@code i} of each is a positive pair); {@code logTemperature}
 * and {@code bias} hold one value each (shape {@code []} or {@code [1]}, e.g. a {@code Parameter}
 * of shape {@code (1)}). Every method returns arrays attached to {@code images}' manager;
 * intermediate arrays are released before returning (autograd keeps what it needs on its own).
 * Values are the mean over the batch, shape {@code []}, as in lit-core's {@code dev.lit4j.loss}:
 *
 * <ul>
 *   <li>softmax (CLIP/LiT): {@code ½ (CE(z, I) + CE(zᵀ, I))}, {@code z = t X Yᵀ}, {@code t =
 *       exp(logTemperature)}, computed with {@code logSoftmax};
 *   <li>sigmoid (SigLIP, Zhai et al. 2023, eq. 1): {@code (1/B) Σᵢⱼ −log σ(sᵢⱼ (zᵢⱼ + b))},
 *       computed as {@code (1/B) Σᵢⱼ softplus(−sᵢⱼ uᵢⱼ)} with {@code u = z + b}, which never
 *       overflows and keeps full precision for large positive-pair logits.
 * </ul>
 *
 * <h2>Full and chunked</h2>
 *
 * {@link #softmax} and {@link #sigmoid} are plain autograd expressions: simple and fastest (three
 * {@code B·B·D} GEMMs for forward + backward), but autograd keeps several {@code B × B} arrays
 * alive until {@code backward}: softmax forward + backward peaks at about 20 bytes per logit in
 * float32 (5 GiB at {@code B = 16384}, measured in {@code docs/BENCHMARKS.md}).
 *
 * <p>{@link #softmaxChunked} and {@link #sigmoidChunked} bound memory by {@code chunkRows × B}:
 * they compute the value and the gradients explicitly, {@code chunkRows} rows of logits at a time
 * and outside autograd ({@link #softmaxGradients}, {@link #sigmoidGradients}), then return a
 * surrogate scalar
 *
 * <pre>{@code
 * s = value + Σ ∂X ⊙ (X − sg(X)) + Σ ∂Y ⊙ (Y − sg(Y)) + ∂logT · (logT − sg(logT)) + ∂b · (b − sg(b))
 * }</pre>
 *
 * where {@code sg} stops the gradient. Each bracket is exactly zero, so {@code s} equals the loss,
 * and {@code backward(s)} delivers exactly the precomputed gradients to {@code X}, {@code Y},
 * {@code logT} and {@code b} and on through whatever graph produced them (the text tower). Autograd
 * then keeps only {@code O(B·D)} for the loss; the term of an input that requires no gradient (a
 * locked image tower's embeddings) is a constant zero. The gradients are the same as the full
 * form's up to float rounding; the price is one extra GEMM for softmax (its column normalisation
 * needs a second pass over the logits). The gradient pass always runs: for a value alone
 * (evaluation) use {@link #softmaxChunkedValue} or {@link #sigmoidChunkedValue}.
 *
 * <pre>{@code
 * try (GradientCollector collector = engine.newGradientCollector()) {
 *   NDArray texts = textTower.forward(tokens);                    // requires gradient
 *   NDArray loss = NdContrastiveLosses.softmaxChunked(images, texts, logT, 1024);
 *   collector.backward(loss);
 * }
 * }</pre>
 *
 * <p>Stateless and thread-safe; the arrays passed in must not be used by another thread during a
 * call.
 */
public final class NdContrastiveLosses {
  private NdContrastiveLosses() {}

  /**
   * Returns the softmax loss, recorded by autograd.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @return the loss, shape {@code []}
   * @throws IllegalArgumentException if the shapes, dtypes or devices do not match, {@code B} or
   *     {@code D} is zero, or {@code logTemperature} holds more than one value
   */
  public static NDArray softmax(NDArray images, NDArray texts, NDArray logTemperature) {
    NdInputs.checkSoftmax(images, texts, logTemperature);
    try (NDManager scope = images.getManager().newSubManager(images.getDevice())) {
      scope.tempAttachAll(NdInputs.distinct(images, texts, logTemperature));
      // t scales X (B·D values) rather than the B² logits: one pass fewer, and autograd saves X
      // for the product's backward instead of a B × B array.
      NDArray z = images.mul(logTemperature.exp()).matMul(texts.transpose());
      NDArray imageToText = z.logSoftmax(1).diagonal().mean();
      NDArray textToImage = z.logSoftmax(0).diagonal().mean();
      NDArray sum = imageToText.add(textToImage);
      // Scalars autograd keeps are made by libtorch (see NdScalars), not by mul(Number).
      return scope.ret(sum.mul(NdScalars.of(sum, -0.5)).reshape()); // shape []
    }
  }

  /**
   * Returns the sigmoid loss, recorded by autograd.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param bias {@code b}, one value
   * @return the loss, shape {@code []}
   * @throws IllegalArgumentException as for {@link #softmax}, or if {@code bias} holds more than
   *     one value
   */
  public static NDArray sigmoid(
      NDArray images, NDArray texts, NDArray logTemperature, NDArray bias) {
    NdInputs.checkSigmoid(images, texts, logTemperature, bias);
    long batch = images.getShape().get(0);
    try (NDManager scope = images.getManager().newSubManager(images.getDevice())) {
      scope.tempAttachAll(NdInputs.distinct(images, texts, logTemperature, bias));
      NDArray u = images.mul(logTemperature.exp()).matMul(texts.transpose()).add(bias);
      // −log σ(sᵢⱼ uᵢⱼ) = softplus(−sᵢⱼ uᵢⱼ); signs = 1 − 2I flips the diagonal exactly.
      int b = Math.toIntExact(batch);
      NDArray signs = scope.eye(b, b, 0, u.getDataType()).muli(-2).addi(1);
      NDArray total = Activation.softPlus(u.mul(signs)).sum();
      NDArray loss = total.div(NdScalars.of(total, batch));
      return scope.ret(loss.reshape()); // shape []
    }
  }

  /**
   * {@return the softmax loss as a memory-bounded surrogate whose value is the loss and whose
   * gradients are the loss's (see the class comment)}
   *
   * @param chunkRows rows of logits computed at a time; peak extra memory is a few {@code chunkRows
   *     × B} arrays
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @throws IllegalArgumentException as for {@link #softmax}, or if {@code chunkRows <= 0}
   */
  public static NDArray softmaxChunked(
      NDArray images, NDArray texts, NDArray logTemperature, int chunkRows) {
    NdInputs.checkSoftmax(images, texts, logTemperature);
    NdInputs.checkChunkRows(chunkRows);
    try (NdLossGradients g =
        ChunkedKernels.softmaxGradients(images, texts, logTemperature, chunkRows)) {
      return Surrogate.of(g, images, texts, logTemperature, null);
    }
  }

  /**
   * {@return the sigmoid loss as a memory-bounded surrogate whose value is the loss and whose
   * gradients are the loss's (see the class comment)}
   *
   * @param chunkRows rows of logits computed at a time; peak extra memory is a few {@code chunkRows
   *     × B} arrays
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param bias {@code b}, one value
   * @throws IllegalArgumentException as for {@link #sigmoid}, or if {@code chunkRows <= 0}
   */
  public static NDArray sigmoidChunked(
      NDArray images, NDArray texts, NDArray logTemperature, NDArray bias, int chunkRows) {
    NdInputs.checkSigmoid(images, texts, logTemperature, bias);
    NdInputs.checkChunkRows(chunkRows);
    try (NdLossGradients g =
        ChunkedKernels.sigmoidGradients(images, texts, logTemperature, bias, chunkRows)) {
      return Surrogate.of(g, images, texts, logTemperature, bias);
    }
  }

  /**
   * {@return the softmax loss value only, shape {@code []}, computed in chunks of {@code chunkRows}
   * rows without autograd and without the gradient pass: for evaluation, where no {@code backward}
   * follows}
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param chunkRows rows of logits computed at a time
   * @throws IllegalArgumentException as for {@link #softmaxChunked}
   */
  public static NDArray softmaxChunkedValue(
      NDArray images, NDArray texts, NDArray logTemperature, int chunkRows) {
    NdInputs.checkSoftmax(images, texts, logTemperature);
    NdInputs.checkChunkRows(chunkRows);
    return ChunkedKernels.softmaxValue(images, texts, logTemperature, chunkRows);
  }

  /**
   * {@return the sigmoid loss value only, shape {@code []}, computed in chunks of {@code chunkRows}
   * rows without autograd and without gradients: for evaluation, where no {@code backward} follows}
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param bias {@code b}, one value
   * @param chunkRows rows of logits computed at a time
   * @throws IllegalArgumentException as for {@link #sigmoidChunked}
   */
  public static NDArray sigmoidChunkedValue(
      NDArray images, NDArray texts, NDArray logTemperature, NDArray bias, int chunkRows) {
    NdInputs.checkSigmoid(images, texts, logTemperature, bias);
    NdInputs.checkChunkRows(chunkRows);
    return ChunkedKernels.sigmoidValue(images, texts, logTemperature, bias, chunkRows);
  }

  /**
   * {@return the softmax loss value and its gradients as constants, computed in chunks of {@code
   * chunkRows} rows without autograd} {@code gradBias()} is zero: the softmax loss has no bias.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param chunkRows rows of logits computed at a time
   * @throws IllegalArgumentException as for {@link #softmaxChunked}
   */
  public static NdLossGradients softmaxGradients(
      NDArray images, NDArray texts, NDArray logTemperature, int chunkRows) {
    NdInputs.checkSoftmax(images, texts, logTemperature);
    NdInputs.checkChunkRows(chunkRows);
    return ChunkedKernels.softmaxGradients(images, texts, logTemperature, chunkRows);
  }

  /**
   * {@return the sigmoid loss value and its gradients as constants, computed in chunks of {@code
   * chunkRows} rows without autograd}
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param logTemperature {@code log t}, one value
   * @param bias {@code b}, one value
   * @param chunkRows rows of logits computed at a time
   * @throws IllegalArgumentException as for {@link #sigmoidChunked}
   */
  public static NdLossGradients sigmoidGradients(
      NDArray images, NDArray texts, NDArray logTemperature, NDArray bias, int chunkRows) {
    NdInputs.checkSigmoid(images, texts, logTemperature, bias);
    NdInputs.checkChunkRows(chunkRows);
    return ChunkedKernels.sigmoidGradients(images, texts, logTemperature, bias, chunkRows);
  }
}
