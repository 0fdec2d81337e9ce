package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Memory-bounded softmax and sigmoid losses with explicit gradients, computed chunk by chunk over
 * rows of the logit matrix so that no {@code B × B} array exists at any time.
 *
 * <p>With {@code G = ∂loss/∂z} for the logits {@code z = t X Yᵀ}: {@code ∂/∂X = t G Y}, {@code ∂/∂Y
 * = t Gᵀ X}, {@code ∂/∂ log t = Σ G ⊙ z}, {@code ∂/∂b = Σ G}. {@code G = P − I/B} where {@code P}
 * is, for the softmax loss, {@code (softmax_rows(z) + softmax_cols(z)) / 2B} and, for the sigmoid
 * loss, {@code σ(z + b) / B}. Each chunk of rows {@code [i0, i1)} of {@code P} (unscaled: {@code
 * P_rows + P_cols}, or {@code σ(z + b)}) is multiplied into {@code B × D} accumulators; the scale
 * {@code t/2B} or {@code t/B}, the identity's share ({@code −(t/B) Y} and {@code −(t/B) X}) and
 * {@code ∂/∂ log t = Σ X ⊙ ∂X} are applied once to those, so no element-wise pass over the logits
 * is spent on them; {@code t} itself scales {@code X} before the GEMM.
 *
 * <p>Softmax needs every column's log-sum-exp before any {@code P} is known: a first pass over row
 * chunks reduces the columns online (running maximum and rescaled sum, as in flash attention) and
 * reads each row's loss term off a fused {@code log_softmax}; a second pass recomputes each chunk's
 * logits, takes the rows' softmax in one fused call (rows are whole within a chunk) and the
 * columns' from the first pass's statistics, and accumulates the gradients. That is four {@code
 * B·B·D} GEMMs (the full kernel needs three) — the price of bounded memory. Sigmoid needs no
 * normalisation and runs in one pass of three GEMMs.
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
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray z = s.logits(i0, i1, cs);
          // Rows are whole within a chunk, so their softmax is one fused pass that needs none of
          // the first pass's row statistics.
          NDArray p = z.softmax(1);
          NDArray shifted = z.sub(stats.colMax).subi(stats.colLogSum);
          z.close();
          NDArray pCol = shifted.exp();
          shifted.close();
          p.addi(pCol);
          pCol.close();
          accumulate(s, p, sums, i0, i1, cs);
        }
      }
      return s.finish(stats.value, sums, 0.5f, false);
    }
  }

  /** Returns the sigmoid loss value, shape {@code []}, attached to {@code x}'s manager. */
  static NDArray sigmoidValue(NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, bias)) {
      NDArray lossSum = s.zeros(new Shape());
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray u = s.logits(i0, i1, cs).addi(s.bd);
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
          NDArray u = s.logits(i0, i1, cs).addi(s.bd);
          NDArray p = Activation.sigmoid(u);
          sums.g.addi(p.sum());
          lossSum.addi(sigmoidLossSum(u, i0, i1, cs));
          u.close();
          accumulate(s, p, sums, i0, i1, cs);
        }
      }
      return s.finish(lossSum.divi((float) s.batch), sums, 1f, true);
    }
  }

  /**
   * Adds one chunk's products with {@code p}, the chunk's rows of {@code B·G + I} for sigmoid
   * ({@code σ(u)}) or of {@code 2B·G + 2I} for softmax ({@code P_rows + P_cols}): rows {@code [i0,
   * i1)} of {@code p Y}, all of {@code pᵀ X_chunk}. The scale by {@code t} and {@code 1/B} and the
   * identity's share are applied once to the {@code B × D} sums in {@link Scope#finish}, not to
   * each chunk of logits. Closes {@code p}.
   */
  private static void accumulate(Scope s, NDArray p, Sums sums, long i0, long i1, NDManager cs) {
    sums.gradX.set(new NDIndex("{}:{}", i0, i1), p.matMul(s.yd));
    sums.gradY.addi(p.transpose().matMul(s.rows(i0, i1, cs)));
    p.close();
  }

  /** The gradient accumulators of one call, in the scratch scope. */
  private static final class Sums {
    final NDArray gradX;
    final NDArray gradY;
    final NDArray g;

    Sums(Scope s) {
      gradX = s.zeros(s.xd.getShape());
      gradY = s.zeros(s.xd.getShape());
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
   * The first softmax pass, in the scratch scope: each column's maximum and {@code log Σ exp(z −
   * max)} ({@code [B]} each), and the loss. Maximum and log-sum are kept apart: their sum, the
   * log-sum-exp, rounds at the magnitude of the logits (up to {@code t}), while {@code (z − max) −
   * logSum} stays exact where it matters, near the maximum. Rows need no statistics: the gradient
   * pass holds whole rows and takes their softmax directly.
   */
  private record SoftmaxStats(NDArray colMax, NDArray colLogSum, NDArray value) {}

  /**
   * Computes {@link SoftmaxStats}. A row's loss term {@code −log softmax(z)ᵢᵢ} is read off one
   * fused {@code log_softmax} of the chunk, which computes {@code (z − max) − log Σ exp(z − max)}
   * itself. Columns are reduced online as a running maximum {@code M} and sum {@code S = Σ exp(z −
   * M)}, rescaled when {@code M} grows; their loss terms sum {@code LSE − zᵢᵢ = log S + (M − zᵢᵢ)}
   * element by element, with {@code zᵢᵢ} taken from the same logits as {@code M}: when a positive
   * pair is its column's maximum the bracket is exactly zero, so a confident batch's small loss is
   * not lost in the cancellation of {@code Σ LSE − Σ zᵢᵢ}.
   */
  private static SoftmaxStats softmaxStats(Scope s, int chunkRows) {
    NDList diagonals = new NDList();
    NDArray rowTerms = s.zeros(new Shape());
    NDArray colMax = null;
    NDArray colSum = null;
    for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
      long i1 = Math.min(s.batch, i0 + chunkRows);
      try (NDManager cs = s.work.newSubManager()) {
        NDArray z = s.logits(i0, i1, cs);
        NDIndex block = new NDIndex(":, {}:{}", i0, i1);
        // Copies, not views: a view would keep this chunk's whole logit array alive.
        NDArray diagonal = z.get(block).diagonal().duplicate();
        NDArray logSoftmax = z.logSoftmax(1);
        rowTerms.subi(logSoftmax.get(block).diagonal().sum());
        logSoftmax.close();
        diagonal.attach(s.work);
        diagonals.add(diagonal);

        NDArray chunkMax = z.max(new int[] {0}, true);
        // z is not needed after this: shift it in place.
        NDArray e = z.subi(chunkMax).exp();
        z.close();
        NDArray chunkSum = e.sum(new int[] {0});
        e.close();
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
    return new SoftmaxStats(colMax, logColSum, value);
  }

  /** The scratch scope of one kernel call: detached inputs in a sub-manager of {@code x}'s. */
  private static final class Scope implements AutoCloseable {
    final NDManager work;
    final long batch;
    final NDArray xd;
    final NDArray yd;
    final NDArray ydT;
    final NDArray t;

    /** {@code t X}: the temperature scales the {@code B·D} inputs, not each chunk of logits. */
    final NDArray xt;

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
        this.xt = xd.mul(t);
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

    /**
     * Returns the logits {@code z = t X[i0:i1] Yᵀ} of rows {@code [i0, i1)}, in {@code chunkScope}.
     */
    NDArray logits(long i0, long i1, NDManager chunkScope) {
      NDArray xc = xt.get(new NDIndex("{}:{}", i0, i1));
      xc.attach(chunkScope);
      return xc.matMul(ydT);
    }

    /** Returns zeros of {@code shape} in the inputs' dtype, in the scratch scope. */
    NDArray zeros(Shape shape) {
      return work.zeros(shape, xd.getDataType());
    }

    /**
     * Turns the accumulated products into the gradients and moves the results to {@code x}'s
     * manager, shaping {@code ∂/∂ log t} and {@code ∂/∂b} like their arguments. With {@code p = k⁻¹
     * B (G + I/B)} (see {@link #accumulate}): {@code ∂X = t G Y = (t k/B) p Y − (t/B) Y}, likewise
     * {@code ∂Y}; {@code ∂/∂ log t = Σ G ⊙ z = Σᵢ xᵢ · (t G Y)ᵢ = Σ X ⊙ ∂X}, a {@code B × D}
     * product instead of a pass over every chunk of logits; {@code ∂/∂b = Σ G = (k/B) Σ p − 1}.
     *
     * @param k {@code ½} for softmax ({@code p = P_rows + P_cols}), {@code 1} for sigmoid
     * @param withBias whether the loss has a bias (sigmoid); otherwise {@code ∂/∂b} is a zero
     */
    NdLossGradients finish(NDArray value, Sums sums, float k, boolean withBias) {
      NDArray tOverB = t.div((float) batch);
      NDArray scale = tOverB.mul(k);
      NDArray gradX = sums.gradX.muli(scale).subi(yd.mul(tOverB));
      NDArray gradY = sums.gradY.muli(scale).subi(xd.mul(tOverB));
      NDArray gradT = xd.mul(gradX).sum().reshape(logT.getShape());
      NDArray gradB =
          withBias ? sums.g.muli(k / batch).subi(1f).reshape(bias.getShape()) : zeros(new Shape());
      return new NdLossGradients(
          work.ret(value), work.ret(gradX), work.ret(gradY), work.ret(gradT), work.ret(gradB));
    }

    @Override
    public void close() {
      work.close();
    }
  }
}
