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
 *   <li>the rows' softmax is one fused libtorch call; the columns' is four sequential passes
 *       ({@link #columnSoftmax}), because libtorch's column kernel walks the logits a row apart and
 *       took three times as long as everything else here at {@code B = 16384}; the loss, {@code −½
 *       mean(log diag)} per direction, costs {@code B} logarithms (with a {@code log_softmax}
 *       fallback where a diagonal probability leaves the normal float range);
 *   <li>the {@code −I/B} and the {@code 1/2B} of {@code G} are applied to the {@code B × D}
 *       products ({@code t G Y = (t/2B) P Y − (t/B) Y}), not to the logits;
 *   <li>{@code ∂/∂ log t = Σ G ⊙ z = Σᵢ xᵢ · (t G Y)ᵢ = Σ X ⊙ ∂X}, a {@code B × D} product instead
 *       of a pass over the logits.
 * </ul>
 *
 * <p>So besides the three GEMMs ({@code z}, {@code P Y}, {@code Pᵀ X}; the transpose is a view that
 * the GEMM reads as such) the logits are touched by one fused softmax, the column softmax's four
 * passes and one add, where autograd's backward alone makes more (two {@code log_softmax}
 * backwards, the diagonal's scatter, the sum of both directions, the temperature's product). Peak
 * extra memory: the logits and both softmaxes, 12 bytes per logit in float32 (3 GiB at {@code B =
 * 16384}; autograd holds 20).
 *
 * <p>Runs on detached inputs (no autograd graph) in a scratch sub-manager that is closed before
 * returning; results are attached to the manager of {@code x}.
 */
final class FullKernels {
  /** See {@link #columnSoftmax}: the smallest column sum, {@code 2⁻⁶⁰}, of a shared shift. */
  private static final int MIN_COLUMN_SUM_LOG2 = -60;

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
      NDArray pCol = columnSoftmax(z, batch);
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
   * Returns the softmax of {@code z} along its columns (axis 0), shifting {@code z} in place by its
   * largest element (both softmaxes are invariant to the shift).
   *
   * <p>libtorch's {@code softmax(0)} walks the row-major logits column strip by column strip, each
   * step a row apart; at {@code B = 16384} that took 7 s here against 1.2 s along rows, most of the
   * loss's time outside its GEMMs. Instead: one shift by the global maximum {@code M}, one {@code
   * exp}, the column sums {@code s = 1ᵀ E} as a single matrix–vector product (which reads {@code E}
   * row by row), and an in-place division by {@code s}: four sequential passes, about 2 s at that
   * size, and closer to a float64 reference than libtorch's kernel (4e-6 against 1e-5 at B = 4096).
   *
   * <p>The shared shift is safe while every column's sum {@code sⱼ ≥ exp(maxⱼ − M)} is at least
   * {@code 2⁻⁶⁰}: the terms that carry the sum are then normal floats with full precision, and
   * those that underflow are below {@code 2⁻⁶⁶ sⱼ}. A column whose logits all lie more than about
   * 41 below the batch's largest (possible only at large temperatures) falls back to libtorch's
   * kernel.
   */
  private static NDArray columnSoftmax(NDArray z, long batch) {
    z.subi(z.max());
    NDArray e = z.exp();
    NDArray sums = z.getManager().ones(new Shape(1, batch), z.getDataType()).matMul(e);
    if (sums.min().getFloat() < Math.scalb(1f, MIN_COLUMN_SUM_LOG2)) {
      e.close();
      return z.softmax(0);
    }
    return e.divi(sums);
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
