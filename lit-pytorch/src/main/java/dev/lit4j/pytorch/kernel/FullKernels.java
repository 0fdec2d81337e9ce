package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The full-matrix softmax loss with explicit gradients: all {@code B × B} logits at once, like the
 * autograd form of {@link NdContrastiveLosses#softmax}, but with fewer passes over them and fewer
 * {@code B × B} arrays alive (three instead of autograd's five).
 *
 * <p>With {@code z = t X Yᵀ}, {@code P = softmax_rows(z) + softmax_cols(z)} and {@code G = P/2B −
 * I/B = ∂loss/∂z} (Radford et al. 2021, the symmetric cross-entropy of CLIP, as used by LiT):
 *
 * <ul>
 *   <li>{@code t} multiplies {@code X} ({@code B·D} values) before the GEMM, not the logits;
 *   <li>each direction is one fused {@code softmax} over the logits (libtorch's kernel keeps a row
 *       or column block in cache for its maximum, sum and output); the loss, {@code −½ mean(log
 *       diag)} per direction, costs {@code B} logarithms (with a {@code log_softmax} fallback where
 *       a diagonal probability leaves the normal float range);
 *   <li>the {@code −I/B} and the {@code 1/2B} of {@code G} are applied to the {@code B × D}
 *       products ({@code t G Y = (t/2B) P Y − (t/B) Y}), not to the logits;
 *   <li>{@code ∂/∂ log t = Σ G ⊙ z = Σᵢ xᵢ · (t G Y)ᵢ = Σ X ⊙ ∂X}, a {@code B × D} product instead
 *       of a pass over the logits.
 * </ul>
 *
 * <p>So besides the three GEMMs ({@code z}, {@code P Y}, {@code Pᵀ X}; the transpose is a view that
 * the GEMM reads as such) the logits are touched by two {@code softmax} passes and one add, where
 * autograd's backward alone makes more (two {@code log_softmax} backwards, the diagonal's scatter,
 * the sum of both directions, the temperature's product). Peak extra memory: the logits and both
 * softmaxes, 12 bytes per logit in float32 (3 GiB at {@code B = 16384}; autograd holds 20).
 *
 * <p>Runs on detached inputs (no autograd graph) in a scratch sub-manager that is closed before
 * returning; results are attached to the manager of {@code x}.
 */
final class FullKernels {
  private FullKernels() {}

  /**
   * Returns the softmax loss value and gradients; {@code gradBias} is a zero of shape {@code []}.
   */
  static NdLossGradients softmaxGradients(NDArray x, NDArray y, NDArray logT) {
    try (NDManager work = x.getManager().newSubManager(x.getDevice())) {
      NDArray xd = detach(x, work);
      NDArray yd = detach(y, work);
      long batch = xd.getShape().get(0);
      NDArray t = detach(logT, work).exp().reshape(new Shape());
      NDArray z = xd.mul(t).matMul(yd.transpose());

      NDArray p = z.softmax(1);
      NDArray diagonalSum = logDiagonalSum(p, z, 1);
      NDArray pCol = z.softmax(0);
      diagonalSum.addi(logDiagonalSum(pCol, z, 0));
      z.close();
      p.addi(pCol);
      pCol.close();
      NDArray value = diagonalSum.muli(-0.5f / batch);

      NDArray tOverB = t.div((float) batch);
      NDArray halfTOverB = tOverB.mul(0.5f);
      NDArray gradX = p.matMul(yd).muli(halfTOverB).subi(yd.mul(tOverB));
      NDArray gradY = p.transpose().matMul(xd).muli(halfTOverB).subi(xd.mul(tOverB));
      p.close();
      NDArray gradT = xd.mul(gradX).sum().reshape(logT.getShape());
      NDArray gradB = work.zeros(new Shape(), xd.getDataType());
      return new NdLossGradients(
          work.ret(value), work.ret(gradX), work.ret(gradY), work.ret(gradT), work.ret(gradB));
    }
  }

  /**
   * Returns {@code Σᵢ log softmax(z)ᵢᵢ} along {@code axis} from the softmax {@code p} already
   * computed: {@code log pᵢᵢ} costs {@code B} logarithms instead of a {@code log_softmax} pass over
   * the logits, and is exact to float32 rounding while every {@code pᵢᵢ} is a normal float. Where a
   * positive pair's probability is subnormal or zero ({@code zᵢᵢ} more than about 87 below its
   * row's log-sum-exp, possible only at large temperatures) its logarithm would be imprecise or
   * infinite, and the sum is recomputed with {@code log_softmax}, which has neither problem.
   */
  private static NDArray logDiagonalSum(NDArray p, NDArray z, int axis) {
    NDArray diagonal = p.diagonal();
    if (diagonal.min().getFloat() >= Float.MIN_NORMAL) {
      return diagonal.log().sum();
    }
    NDArray logSoftmax = z.logSoftmax(axis);
    NDArray exact = logSoftmax.diagonal().sum();
    logSoftmax.close();
    return exact;
  }

  private static NDArray detach(NDArray a, NDManager work) {
    NDArray d = a.stopGradient();
    d.attach(work);
    return d;
  }
}
