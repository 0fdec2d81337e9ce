package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.internal.Parallel;
import java.util.Arrays;

/**
 * The symmetric softmax (InfoNCE) loss of CLIP (Radford et al. 2021) and LiT (Zhai et al. 2022):
 *
 * <pre>
 *   z = t · X Yᵀ,  t = exp(log t)
 *   L = ½ (1/B) Σᵢ (LSEⱼ zᵢⱼ − zᵢᵢ) + ½ (1/B) Σⱼ (LSEᵢ zᵢⱼ − zⱼⱼ)
 *   ∂L/∂zᵢⱼ = ½ (1/B) (P_row ᵢⱼ + P_col ᵢⱼ − 2 δᵢⱼ),  ∂L/∂X = t G Y,  ∂L/∂Y = t Gᵀ X,
 *   ∂L/∂log t = Σᵢⱼ Gᵢⱼ zᵢⱼ,  ∂L/∂b = 0
 * </pre>
 *
 * where {@code P_row} is the softmax of each row of {@code z} and {@code P_col} of each column.
 *
 * <p>Float32 storage of similarities and gradients; the log-sum-exps, the loss and {@code ∂L/∂log
 * t} are accumulated in float64, each log-sum-exp after subtracting its maximum, so logits of
 * {@code ±1e4} give finite results. Deviation from open_clip: none in the value; the gradients are
 * analytic rather than autograd.
 *
 * <p>{@link #of()} materialises the {@code B × B} similarities once. {@link #chunked(int)} bounds
 * memory: it walks the rows in chunks of {@code chunkRows}, holding at most two {@code chunkRows ×
 * B} float arrays (similarities, then their gradient and its transpose). The column log-sum-exps
 * need every row, so the chunked form makes two passes: the first computes row log-sum-exps and
 * column log-sum-exps online (a running maximum and a sum rescaled whenever the maximum grows), the
 * second recomputes each chunk of similarities and accumulates the gradients. That costs one more
 * {@code B × B × D} product than the unchunked form. Both give the same results up to float32
 * rounding in the gradient sums.
 *
 * <p>The heavy steps run on the common ForkJoinPool. Immutable and thread-safe.
 *
 * <pre>{@code
 * ContrastiveLoss loss = SoftmaxLoss.chunked(1024);
 * LossResult r = loss.valueAndGradients(images, texts, LossParameters.SOFTMAX_DEFAULT);
 * }</pre>
 */
public final class SoftmaxLoss implements ContrastiveLoss {
  private static final int ROWS_PER_TASK = 8;
  private static final int COLS_PER_TASK = 256;

  private final int chunkRows;

  private SoftmaxLoss(int chunkRows) {
    this.chunkRows = chunkRows;
  }

  /** {@return the loss computed over the whole {@code B × B} logit matrix at once} */
  public static SoftmaxLoss of() {
    return new SoftmaxLoss(ChunkRows.UNCHUNKED);
  }

  /**
   * {@return the loss computed in row chunks of at most {@code chunkRows} rows}
   *
   * @param chunkRows the most rows of the logit matrix held at once
   * @throws IllegalArgumentException if {@code chunkRows < 1}
   */
  public static SoftmaxLoss chunked(int chunkRows) {
    return new SoftmaxLoss(ChunkRows.check(chunkRows));
  }

  @Override
  public LossKind kind() {
    return LossKind.SOFTMAX;
  }

  @Override
  public double value(FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    PairBatch batch = PairBatch.of(images, texts, parameters);
    return firstPass(batch, parameters.temperature()).loss();
  }

  @Override
  public LossResult valueAndGradients(
      FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    PairBatch batch = PairBatch.of(images, texts, parameters);
    double t = parameters.temperature();
    Stats stats = firstPass(batch, t);
    int size = batch.size;
    double scale = 0.5 / size;
    float[][] gradX = batch.newGradient();
    float[][] gradY = batch.newGradient();
    double[] gradLogTByRow = new double[size];
    for (int from = 0; from < size; from += chunkRows(size)) {
      int to = Math.min(size, from + chunkRows(size));
      int offset = from;
      float[][] s = stats.kept != null ? stats.kept : batch.similarities(from, to);
      // Overwrite each similarity with t · ∂L/∂z; its own row is all it needs.
      Parallel.forEachBlock(
          to - from,
          ROWS_PER_TASK,
          8L * size,
          (a, b) -> {
            for (int r = a; r < b; r++) {
              int i = offset + r;
              float[] row = s[r];
              double rowLse = stats.rowLse[i];
              double sum = 0;
              for (int j = 0; j < size; j++) {
                double z = t * row[j];
                double p = Math.exp(z - rowLse) + Math.exp(z - stats.colLse[j]);
                double g = scale * (i == j ? p - 2 : p);
                sum += g * z;
                row[j] = (float) (t * g);
              }
              gradLogTByRow[i] = sum;
            }
          });
      batch.addGradients(s, from, to, gradX, gradY);
    }
    double gradLogT = 0;
    for (double g : gradLogTByRow) {
      gradLogT += g;
    }
    return new LossResult(
        stats.loss(),
        PairBatch.toMatrix(gradX, batch.dim),
        PairBatch.toMatrix(gradY, batch.dim),
        gradLogT,
        0);
  }

  private int chunkRows(int size) {
    return Math.min(chunkRows, size);
  }

  /** Row and column log-sum-exps of {@code z}, its diagonal, and the similarities if unchunked. */
  private record Stats(double[] rowLse, double[] colLse, double[] diag, float[][] kept) {
    double loss() {
      double sum = 0;
      for (int i = 0; i < diag.length; i++) {
        sum += (rowLse[i] - diag[i]) + (colLse[i] - diag[i]);
      }
      return 0.5 * sum / diag.length;
    }
  }

  private Stats firstPass(PairBatch batch, double t) {
    int size = batch.size;
    int step = chunkRows(size);
    double[] rowLse = new double[size];
    double[] diag = new double[size];
    double[] colMax = new double[size];
    double[] colSum = new double[size];
    Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
    float[][] kept = null;
    for (int from = 0; from < size; from += step) {
      int to = Math.min(size, from + step);
      int offset = from;
      float[][] s = batch.similarities(from, to);
      Parallel.forEachBlock(
          to - from,
          ROWS_PER_TASK,
          4L * size,
          (a, b) -> {
            for (int r = a; r < b; r++) {
              int i = offset + r;
              float[] row = s[r];
              PairBatch.checkSimilarityRow(row, i);
              float max = row[0];
              for (int j = 1; j < size; j++) {
                max = Math.max(max, row[j]);
              }
              double zMax = t * max; // t > 0, so the largest logit comes from the largest s
              double sum = 0;
              for (int j = 0; j < size; j++) {
                sum += Math.exp(t * row[j] - zMax);
              }
              rowLse[i] = zMax + Math.log(sum);
              diag[i] = t * row[i];
            }
          });
      Parallel.forEachBlock(
          size,
          COLS_PER_TASK,
          4L * (to - from),
          (a, b) -> accumulateColumns(s, t, a, b, colMax, colSum));
      if (from == 0 && to == size) {
        kept = s;
      }
    }
    double[] colLse = new double[size];
    for (int j = 0; j < size; j++) {
      colLse[j] = colMax[j] + Math.log(colSum[j]);
    }
    return new Stats(rowLse, colLse, diag, kept);
  }

  /** Folds the chunk's columns {@code [a, b)} into the running column maxima and sums. */
  private static void accumulateColumns(
      float[][] s, double t, int a, int b, double[] colMax, double[] colSum) {
    float[] chunkMax = Arrays.copyOfRange(s[0], a, b);
    for (int r = 1; r < s.length; r++) {
      float[] row = s[r];
      for (int j = a; j < b; j++) {
        chunkMax[j - a] = Math.max(chunkMax[j - a], row[j]);
      }
    }
    for (int j = a; j < b; j++) {
      double newMax = Math.max(colMax[j], t * chunkMax[j - a]);
      colSum[j] *= Math.exp(colMax[j] - newMax); // exp(−∞) = 0 on the first chunk
      colMax[j] = newMax;
    }
    for (float[] row : s) {
      for (int j = a; j < b; j++) {
        colSum[j] += Math.exp(t * row[j] - colMax[j]);
      }
    }
  }

  @Override
  public String toString() {
    return ChunkRows.describe("SoftmaxLoss", chunkRows);
  }
}
