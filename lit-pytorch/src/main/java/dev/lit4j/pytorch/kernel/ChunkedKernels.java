package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory-bounded softmax and sigmoid losses with explicit gradients, computed chunk by chunk over
 * rows of the logit matrix so that no {@code B × B} array exists at any time.
 *
 * <p>With {@code G = ∂loss/∂z} for the logits {@code z = t X Yᵀ}: {@code ∂/∂X = t G Y}, {@code ∂/∂Y
 * = t Gᵀ X}, {@code ∂/∂ log t = Σ G ⊙ z}, {@code ∂/∂b = Σ G}. {@code G = P − I/B} where {@code P}
 * is, for the softmax loss, {@code (softmax_rows(z) + softmax_cols(z)) / 2B} and, for the sigmoid
 * loss, {@code σ(z + b) / B}; a chunk of rows {@code [i0, i1)} of {@code G} is formed in place and
 * multiplied into the accumulators.
 *
 * <p>Softmax needs every row's and every column's log-sum-exp before any {@code P} is known: a
 * first pass over row chunks computes row log-sum-exps and reduces the columns online (running
 * maximum and rescaled sum, as in flash attention); a second pass recomputes each chunk's logits
 * and accumulates the gradients. That is four {@code B·B·D} GEMMs (the full kernel needs three) —
 * the price of bounded memory. Sigmoid needs no normalisation and runs in one pass of three GEMMs.
 *
 * <p>Peak extra memory is a few {@code chunkRows × B} arrays plus {@code O(B·D)} accumulators. All
 * work runs on detached copies of the inputs (no autograd graph is recorded) in a scratch
 * sub-manager that is closed before returning; results are attached to the manager of {@code x}.
 */
final class ChunkedKernels {
  private ChunkedKernels() {}

  /** Returns the softmax loss value, shape {@code []}, attached to {@code x}'s manager. */
  static NDArray softmaxValue(NDArray x, NDArray y, NDArray logT, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, null)) {
      return s.work.ret(softmaxStats(s, chunkRows).value);
    }
  }

  /**
   * Returns the softmax loss value and gradients; {@code gradBias} is a zero of shape {@code []}.
   */
  static NdLossGradients softmaxGradients(NDArray x, NDArray y, NDArray logT, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, null)) {
      SoftmaxStats stats = softmaxStats(s, chunkRows);
      Sums sums = new Sums(s);
      float half = 0.5f / s.batch;
      int chunk = 0;
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows, chunk++) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray xc = s.rows(i0, i1, cs);
          NDArray z = xc.matMul(s.ydT).muli(s.t);
          NDArray p = softmaxOf(z, stats.rowMax.get(chunk), stats.rowLogSum.get(chunk));
          NDArray pCol = softmaxOf(z, stats.colMax, stats.colLogSum);
          p.addi(pCol).muli(half);
          pCol.close();
          accumulate(s, p, z, xc, sums, i0, i1, cs);
        }
      }
      return s.finish(stats.value, sums, null);
    }
  }

  /** Returns the sigmoid loss value, shape {@code []}, attached to {@code x}'s manager. */
  static NDArray sigmoidValue(NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, bias)) {
      NDArray lossSum = s.zeros(new Shape());
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray u = s.rows(i0, i1, cs).matMul(s.ydT).muli(s.t).addi(s.bd);
          lossSum.addi(sigmoidLossSum(u, i0, i1, cs));
        }
      }
      return s.work.ret(lossSum.divi((float) s.batch));
    }
  }

  /** Returns the sigmoid loss value and its gradients. */
  static NdLossGradients sigmoidGradients(
      NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, bias)) {
      NDArray lossSum = s.zeros(new Shape());
      Sums sums = new Sums(s);
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray xc = s.rows(i0, i1, cs);
          NDArray z = xc.matMul(s.ydT).muli(s.t);
          NDArray u = z.add(s.bd);
          NDArray p = Activation.sigmoid(u).muli(1f / s.batch);
          lossSum.addi(sigmoidLossSum(u, i0, i1, cs));
          u.close();
          accumulate(s, p, z, xc, sums, i0, i1, cs);
        }
      }
      return s.finish(lossSum.divi((float) s.batch), sums, sums.g);
    }
  }

  /**
   * Turns one chunk's {@code P} into {@code G = P − I/B} (on the chunk's diagonal block) and adds
   * its contributions: rows {@code [i0, i1)} of {@code ∂/∂X = t G Y}, all of {@code ∂/∂Y += t Gᵀ
   * X_chunk}, {@code Σ G} and {@code Σ G ⊙ z}. Closes {@code z}.
   */
  private static void accumulate(
      Scope s, NDArray p, NDArray z, NDArray xc, Sums sums, long i0, long i1, NDManager cs) {
    NDIndex block = new NDIndex(":, {}:{}", i0, i1);
    int c = Math.toIntExact(i1 - i0);
    NDArray identityOverB = cs.eye(c, c, 0, p.getDataType()).muli(1f / s.batch);
    p.set(block, p.get(block).sub(identityOverB));
    sums.g.addi(p.sum());
    NDArray gz = p.mul(z);
    sums.gz.addi(gz.sum());
    gz.close();
    z.close();
    sums.gradX.set(new NDIndex("{}:{}", i0, i1), p.matMul(s.yd).muli(s.t));
    sums.gradY.addi(p.transpose().matMul(xc).muli(s.t));
  }

  /** The gradient accumulators of one call, in the scratch scope. */
  private static final class Sums {
    final NDArray gradX;
    final NDArray gradY;
    final NDArray gz;
    final NDArray g;

    Sums(Scope s) {
      gradX = s.zeros(s.xd.getShape());
      gradY = s.zeros(s.xd.getShape());
      gz = s.zeros(new Shape());
      g = s.zeros(new Shape());
    }
  }

  /**
   * Returns {@code Σ softplus(−sᵢⱼ uᵢⱼ)} over a row chunk of {@code u = z + b}: {@code softplus(u)}
   * off the diagonal, {@code softplus(−u)} on it. The diagonal entries are negated in place (exact:
   * {@code x − 2x = −x}) rather than using {@code softplus(−u) = softplus(u) − u}, which cancels
   * catastrophically when a positive pair's logit is large.
   */
  private static NDArray sigmoidLossSum(NDArray u, long i0, long i1, NDManager cs) {
    NDIndex block = new NDIndex(":, {}:{}", i0, i1);
    int c = Math.toIntExact(i1 - i0);
    NDArray diagonalBlock = u.get(block);
    NDArray twiceDiagonal = diagonalBlock.mul(cs.eye(c, c, 0, u.getDataType())).muli(2);
    u.set(block, diagonalBlock.sub(twiceDiagonal));
    return Activation.softPlus(u).sum();
  }

  /**
   * The first softmax pass, in the scratch scope: each row's maximum and {@code log Σ exp(z − max)}
   * (one {@code [c, 1]} array per chunk), the same for each column ({@code [B]}), and the loss.
   * Maximum and log-sum are kept apart: their sum, the log-sum-exp, rounds at the magnitude of the
   * logits (up to {@code t}), while {@code (z − max) − logSum} stays exact where it matters, near
   * the maximum.
   */
  private record SoftmaxStats(
      List<NDArray> rowMax,
      List<NDArray> rowLogSum,
      NDArray colMax,
      NDArray colLogSum,
      NDArray value) {}

  /**
   * Computes {@link SoftmaxStats}. Columns are reduced online as a running maximum {@code M} and
   * sum {@code S = Σ exp(z − M)}, rescaled when {@code M} grows. The value sums {@code LSE − zᵢᵢ =
   * log S + (M − zᵢᵢ)} element by element, with {@code zᵢᵢ} taken from the same logits as {@code
   * M}: when a positive pair is its row's (column's) maximum the bracket is exactly zero, so a
   * confident batch's small loss is not lost in the cancellation of {@code Σ LSE − Σ zᵢᵢ}.
   */
  private static SoftmaxStats softmaxStats(Scope s, int chunkRows) {
    List<NDArray> rowMaxes = new ArrayList<>();
    List<NDArray> rowLogSums = new ArrayList<>();
    NDList diagonals = new NDList();
    NDArray rowTerms = s.zeros(new Shape());
    NDArray colMax = null;
    NDArray colSum = null;
    for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
      long i1 = Math.min(s.batch, i0 + chunkRows);
      try (NDManager cs = s.work.newSubManager()) {
        NDArray z = s.rows(i0, i1, cs).matMul(s.ydT).muli(s.t);
        // A copy, not a view: a view would keep this chunk's whole logit array alive.
        NDArray diagonal = z.get(new NDIndex(":, {}:{}", i0, i1)).diagonal().duplicate();
        NDArray rowMax = z.max(new int[] {1}, true);
        NDArray logRowSum = sumExpShifted(z, rowMax, 1).log();
        NDArray rowMaxFlat = rowMax.squeeze(1);
        rowTerms.addi(logRowSum.add(rowMaxFlat.sub(diagonal)).sum());
        NDArray logRowSumColumn = logRowSum.expandDims(1);
        rowMax.attach(s.work);
        logRowSumColumn.attach(s.work);
        rowMaxes.add(rowMax);
        rowLogSums.add(logRowSumColumn);
        diagonal.attach(s.work);
        diagonals.add(diagonal);

        NDArray chunkMax = z.max(new int[] {0}, true);
        NDArray chunkSum = sumExpShifted(z, chunkMax, 0);
        chunkMax = chunkMax.squeeze(0);
        if (colMax != null) {
          NDArray newMax = chunkMax.maximum(colMax);
          NDArray oldScale = newMax.neg().addi(colMax).exp();
          NDArray chunkScale = newMax.neg().addi(chunkMax).exp();
          chunkSum = chunkSum.muli(chunkScale).addi(oldScale.muli(colSum));
          colMax.close();
          colSum.close();
          chunkMax = newMax;
        }
        chunkMax.attach(s.work);
        chunkSum.attach(s.work);
        colMax = chunkMax;
        colSum = chunkSum;
      }
    }
    NDArray logColSum = colSum.log();
    NDArray colTerms = logColSum.add(colMax.sub(NDArrays.concat(diagonals))).sum();
    NDArray value = rowTerms.addi(colTerms).muli(0.5f / s.batch);
    return new SoftmaxStats(rowMaxes, rowLogSums, colMax, logColSum, value);
  }

  /** Returns {@code Σ exp(z − max)} along {@code axis}, without keeping the axis. */
  private static NDArray sumExpShifted(NDArray z, NDArray max, int axis) {
    NDArray e = expShifted(z, max);
    NDArray sum = e.sum(new int[] {axis});
    e.close();
    return sum;
  }

  /** Returns {@code exp((z − max) − logSum)} with {@code max} and {@code logSum} broadcast. */
  private static NDArray softmaxOf(NDArray z, NDArray max, NDArray logSum) {
    NDArray shifted = z.sub(max).subi(logSum);
    NDArray e = shifted.exp();
    shifted.close();
    return e;
  }

  /** Returns {@code exp(z − shift)} with {@code shift} broadcast. */
  private static NDArray expShifted(NDArray z, NDArray shift) {
    NDArray shifted = z.sub(shift);
    NDArray e = shifted.exp();
    shifted.close();
    return e;
  }

  /** The scratch scope of one kernel call: detached inputs in a sub-manager of {@code x}'s. */
  private static final class Scope implements AutoCloseable {
    final NDManager work;
    final long batch;
    final NDArray xd;
    final NDArray yd;
    final NDArray ydT;
    final NDArray t;
    final NDArray bd;
    private final NDArray logT;
    private final NDArray bias;

    Scope(NDArray x, NDArray y, NDArray logT, NDArray bias) {
      this.logT = logT;
      this.bias = bias;
      this.work = x.getManager().newSubManager(x.getDevice());
      try {
        this.batch = x.getShape().get(0);
        this.xd = detach(x);
        this.yd = detach(y);
        this.ydT = yd.transpose();
        this.t = detach(logT).exp().reshape(new Shape());
        this.bd = bias == null ? null : detach(bias).reshape(new Shape());
      } catch (RuntimeException e) {
        work.close();
        throw e;
      }
    }

    private NDArray detach(NDArray a) {
      NDArray d = a.stopGradient();
      d.attach(work);
      return d;
    }

    /** Returns rows {@code [i0, i1)} of the detached images, attached to {@code chunkScope}. */
    NDArray rows(long i0, long i1, NDManager chunkScope) {
      NDArray xc = xd.get(new NDIndex("{}:{}", i0, i1));
      xc.attach(chunkScope);
      return xc;
    }

    /** Returns zeros of {@code shape} in the inputs' dtype, in the scratch scope. */
    NDArray zeros(Shape shape) {
      return work.zeros(shape, xd.getDataType());
    }

    /**
     * Moves the results to {@code x}'s manager, shaping {@code ∂/∂ log t} and {@code ∂/∂b} like
     * their arguments.
     *
     * @param gradBias {@code Σ G}, or {@code null} for the softmax loss (a zero is returned)
     */
    NdLossGradients finish(NDArray value, Sums sums, NDArray gradBias) {
      NDArray gradT = sums.gz.reshape(logT.getShape());
      NDArray gradB = gradBias == null ? zeros(new Shape()) : gradBias.reshape(bias.getShape());
      return new NdLossGradients(
          work.ret(value),
          work.ret(sums.gradX),
          work.ret(sums.gradY),
          work.ret(gradT),
          work.ret(gradB));
    }

    @Override
    public void close() {
      work.close();
    }
  }
}
