package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
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
 * loss, {@code σ(z + b) / B}. The {@code −I/B} part is added in closed form ({@code −(t/B) Y} to
 * {@code ∂/∂X}, and so on), so a chunk only ever materialises rows of {@code P}.
 *
 * <p>Softmax needs every row's and every column's log-sum-exp before any {@code P} is known: a
 * first pass over row chunks computes row log-sum-exps and merges column log-sum-exps across chunks
 * ({@code logaddexp}); a second pass recomputes each chunk's logits and accumulates the gradients.
 * That is four {@code B·B·D} GEMMs (the full kernel needs three) — the price of bounded memory.
 * Sigmoid needs no normalisation and runs in one pass of three GEMMs.
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
      SoftmaxStats stats = softmaxStats(s, chunkRows);
      return s.work.ret(softmaxValue(s, stats));
    }
  }

  /**
   * Returns the softmax loss value and gradients; {@code gradBias} is a zero of shape {@code []}.
   */
  static NdLossGradients softmaxGradients(NDArray x, NDArray y, NDArray logT, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, null)) {
      SoftmaxStats stats = softmaxStats(s, chunkRows);
      NDArray value = softmaxValue(s, stats);
      NDArray gradX = s.work.zeros(s.xd.getShape(), s.xd.getDataType());
      NDArray gradY = s.work.zeros(s.xd.getShape(), s.xd.getDataType());
      NDArray sumPz = s.work.zeros(new Shape(), s.xd.getDataType());
      float half = 0.5f / s.batch;
      int chunk = 0;
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows, chunk++) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray xc = s.rows(i0, i1, cs);
          NDArray z = xc.matMul(s.ydT).muli(s.t);
          NDArray p = expShifted(z, stats.rowLse.get(chunk).expandDims(1));
          NDArray pCol = expShifted(z, stats.colLse);
          p.addi(pCol).muli(half);
          pCol.close();
          accumulate(s, p, z, xc, gradX, gradY, sumPz, i0, i1);
        }
      }
      return s.finish(value, gradX, gradY, sumPz, null);
    }
  }

  /** Returns the sigmoid loss value, shape {@code []}, attached to {@code x}'s manager. */
  static NDArray sigmoidValue(NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, bias)) {
      NDArray softplusSum = s.work.zeros(new Shape(), s.xd.getDataType());
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray u = s.rows(i0, i1, cs).matMul(s.ydT).muli(s.t).addi(s.bd);
          softplusSum.addi(Activation.softPlus(u).sum());
        }
      }
      return s.work.ret(sigmoidValue(s, softplusSum));
    }
  }

  /** Returns the sigmoid loss value and its gradients. */
  static NdLossGradients sigmoidGradients(
      NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    try (Scope s = new Scope(x, y, logT, bias)) {
      NDArray softplusSum = s.work.zeros(new Shape(), s.xd.getDataType());
      NDArray gradX = s.work.zeros(s.xd.getShape(), s.xd.getDataType());
      NDArray gradY = s.work.zeros(s.xd.getShape(), s.xd.getDataType());
      NDArray sumPz = s.work.zeros(new Shape(), s.xd.getDataType());
      NDArray sumP = s.work.zeros(new Shape(), s.xd.getDataType());
      for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
        long i1 = Math.min(s.batch, i0 + chunkRows);
        try (NDManager cs = s.work.newSubManager()) {
          NDArray xc = s.rows(i0, i1, cs);
          NDArray z = xc.matMul(s.ydT).muli(s.t);
          NDArray u = z.add(s.bd);
          softplusSum.addi(Activation.softPlus(u).sum());
          NDArray p = Activation.sigmoid(u).muli(1f / s.batch);
          u.close();
          sumP.addi(p.sum());
          accumulate(s, p, z, xc, gradX, gradY, sumPz, i0, i1);
        }
      }
      NDArray value = sigmoidValue(s, softplusSum);
      // ∂/∂b = Σ P − Σ I/B = Σ P − 1.
      return s.finish(value, gradX, gradY, sumPz, sumP.subi(1));
    }
  }

  /** Adds one chunk's {@code P} contribution: rows of {@code ∂/∂X}, all of {@code ∂/∂Y}, Σ P⊙z. */
  private static void accumulate(
      Scope s,
      NDArray p,
      NDArray z,
      NDArray xc,
      NDArray gradX,
      NDArray gradY,
      NDArray sumPz,
      long i0,
      long i1) {
    NDArray pz = p.mul(z);
    sumPz.addi(pz.sum());
    pz.close();
    z.close();
    gradX.set(new NDIndex("{}:{}", i0, i1), p.matMul(s.yd).muli(s.t));
    gradY.addi(p.transpose().matMul(xc).muli(s.t));
  }

  /** Returns {@code exp(z − shift)} with {@code shift} broadcast. */
  private static NDArray expShifted(NDArray z, NDArray shift) {
    NDArray shifted = z.sub(shift);
    NDArray e = shifted.exp();
    shifted.close();
    return e;
  }

  /**
   * Row log-sum-exps (one array per chunk) and the column log-sum-exp, all in the scratch scope.
   */
  private record SoftmaxStats(List<NDArray> rowLse, NDArray colLse) {}

  private static SoftmaxStats softmaxStats(Scope s, int chunkRows) {
    List<NDArray> rowLse = new ArrayList<>();
    NDArray colLse = null;
    for (long i0 = 0; i0 < s.batch; i0 += chunkRows) {
      long i1 = Math.min(s.batch, i0 + chunkRows);
      try (NDManager cs = s.work.newSubManager()) {
        NDArray z = s.rows(i0, i1, cs).matMul(s.ydT).muli(s.t);
        NDArray rows = logSumExp(z, 1);
        rows.attach(s.work);
        rowLse.add(rows);
        NDArray cols = logSumExp(z, 0);
        if (colLse != null) {
          // Stable logaddexp(a, b) = max(a, b) + softplus(−|a − b|).
          NDArray gap = cols.sub(colLse).abs().negi();
          NDArray merged = cols.maximum(colLse).addi(Activation.softPlus(gap));
          colLse.close();
          cols = merged;
        }
        cols.attach(s.work);
        colLse = cols;
      }
    }
    return new SoftmaxStats(rowLse, colLse);
  }

  /** Returns {@code (½ (Σ rowLse + Σ colLse) − t Σᵢ xᵢ·yᵢ) / B}, in the scratch scope. */
  private static NDArray softmaxValue(Scope s, SoftmaxStats stats) {
    NDArray lseSum = stats.colLse.sum();
    for (NDArray rows : stats.rowLse) {
      lseSum.addi(rows.sum());
    }
    return lseSum.muli(0.5f).subi(s.diagonalLogitSum()).divi((float) s.batch);
  }

  /** Returns {@code (Σ softplus(u) − Σᵢ uᵢᵢ) / B}, using {@code −log σ(u) = softplus(u) − u}. */
  private static NDArray sigmoidValue(Scope s, NDArray softplusSum) {
    NDArray diagonal = s.diagonalLogitSum().addi(s.bd.mul((float) s.batch));
    return softplusSum.sub(diagonal).divi((float) s.batch);
  }

  /** Returns the log-sum-exp of {@code z} along {@code axis}, without keeping the axis. */
  private static NDArray logSumExp(NDArray z, int axis) {
    NDArray max = z.max(new int[] {axis}, true);
    NDArray e = expShifted(z, max);
    NDArray sum = e.sum(new int[] {axis});
    e.close();
    return sum.log().addi(max.squeeze(axis));
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

    /** Returns {@code Σᵢ zᵢᵢ = t Σᵢ xᵢ·yᵢ}, shape {@code []}. */
    NDArray diagonalLogitSum() {
      return xd.mul(yd).sum().muli(t);
    }

    /**
     * Adds the closed-form {@code −I/B} part of {@code G} and moves the results to {@code x}'s
     * manager: {@code ∂/∂X −= (t/B) Y}, {@code ∂/∂Y −= (t/B) X}, {@code ∂/∂ log t = Σ P⊙z − (1/B)
     * Σᵢ zᵢᵢ}.
     */
    NdLossGradients finish(
        NDArray value, NDArray gradX, NDArray gradY, NDArray sumPz, NDArray gradBias) {
      NDArray tOverB = t.div((float) batch);
      gradX.subi(yd.mul(tOverB));
      gradY.subi(xd.mul(tOverB));
      NDArray gradT = sumPz.subi(diagonalLogitSum().divi((float) batch)).reshape(logT.getShape());
      NDArray gradB =
          gradBias == null
              ? work.zeros(new Shape(), xd.getDataType())
              : gradBias.reshape(bias.getShape());
      return new NdLossGradients(
          work.ret(value), work.ret(gradX), work.ret(gradY), work.ret(gradT), work.ret(gradB));
    }

    @Override
    public void close() {
      work.close();
    }
  }
}
