package dev.lit4j.loss;

import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.StableMath;
import dev.lit4j.math.internal.Parallel;

/**
 * The pairwise sigmoid loss of SigLIP (Zhai et al. 2023, eq. 1):
 *
 * <pre>
 *   z = t · X Yᵀ,  uᵢⱼ = zᵢⱼ + b,  sᵢⱼ = +1 if i = j else −1
 *   L = (1/B) Σᵢⱼ softplus(−sᵢⱼ uᵢⱼ)              (= −(1/B) Σᵢⱼ log σ(sᵢⱼ uᵢⱼ))
 *   Gᵢⱼ = ∂L/∂zᵢⱼ = −(1/B) sᵢⱼ σ(−sᵢⱼ uᵢⱼ),  ∂L/∂X = t G Y,  ∂L/∂Y = t Gᵀ X,
 *   ∂L/∂log t = Σᵢⱼ Gᵢⱼ zᵢⱼ,  ∂L/∂b = Σᵢⱼ Gᵢⱼ
 * </pre>
 *
 * <p>The loss is normalised by {@code B}, as in big_vision and open_clip. Float32 storage; softplus
 * and σ in their overflow-free forms, sums in float64. Every pair is independent, so the chunked
 * form ({@link #chunked(int)}) is a single pass over row chunks holding at most {@code chunkRows ×
 * B} similarities (plus the transpose of their gradient) at a time, and costs no more arithmetic
 * than {@link #of()}.
 *
 * <p>The heavy steps run on the common ForkJoinPool. Immutable and thread-safe.
 *
 * <pre>{@code
 * LossResult r = SigmoidLoss.of().valueAndGradients(images, texts, LossParameters.SIGMOID_DEFAULT);
 * }</pre>
 */
public final class SigmoidLoss implements ContrastiveLoss {
  private static final int ROWS_PER_TASK = 8;

  private final int chunkRows;

  private SigmoidLoss(int chunkRows) {
    this.chunkRows = chunkRows;
  }

  /** {@return the loss computed over the whole {@code B × B} logit matrix at once} */
  public static SigmoidLoss of() {
    return new SigmoidLoss(ChunkRows.UNCHUNKED);
  }

  /**
   * {@return the loss computed in row chunks of at most {@code chunkRows} rows}
   *
   * @param chunkRows the most rows of the logit matrix held at once
   * @throws IllegalArgumentException if {@code chunkRows < 1}
   */
  public static SigmoidLoss chunked(int chunkRows) {
    return new SigmoidLoss(ChunkRows.check(chunkRows));
  }

  @Override
  public LossKind kind() {
    return LossKind.SIGMOID;
  }

  @Override
  public double value(FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    PairBatch batch = PairBatch.of(images, texts, parameters);
    double t = parameters.temperature();
    double bias = parameters.bias();
    int size = batch.size;
    double[] lossByRow = new double[size];
    int step = Math.min(chunkRows, size);
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
              double sum = 0;
              for (int j = 0; j < size; j++) {
                double u = t * row[j] + bias;
                sum += StableMath.softplus(i == j ? -u : u);
              }
              lossByRow[i] = sum;
            }
          });
    }
    return sum(lossByRow) / size;
  }

  @Override
  public LossResult valueAndGradients(
      FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    PairBatch batch = PairBatch.of(images, texts, parameters);
    double t = parameters.temperature();
    double bias = parameters.bias();
    int size = batch.size;
    double invB = 1.0 / size;
    double[] lossByRow = new double[size];
    double[] gradLogTByRow = new double[size];
    double[] gradBiasByRow = new double[size];
    float[][] gradX = batch.newGradient();
    float[][] gradY = batch.newGradient();
    int step = Math.min(chunkRows, size);
    for (int from = 0; from < size; from += step) {
      int to = Math.min(size, from + step);
      int offset = from;
      float[][] s = batch.similarities(from, to);
      // Overwrite each similarity with t · ∂L/∂z.
      Parallel.forEachBlock(
          to - from,
          ROWS_PER_TASK,
          8L * size,
          (a, b) -> {
            for (int r = a; r < b; r++) {
              int i = offset + r;
              float[] row = s[r];
              PairBatch.checkSimilarityRow(row, i);
              double loss = 0;
              double gradLogT = 0;
              double gradBias = 0;
              for (int j = 0; j < size; j++) {
                double z = t * row[j];
                double v = i == j ? -(z + bias) : z + bias; // v = −sᵢⱼ uᵢⱼ
                // softplus(v) and σ(v) share e = exp(−|v|): one exponential per pair, not two.
                double e = Math.exp(-Math.abs(v));
                loss += Math.max(v, 0) + Math.log1p(e);
                double sigmoid = v >= 0 ? 1 / (1 + e) : e / (1 + e);
                double g = (i == j ? -invB : invB) * sigmoid;
                gradLogT += g * z;
                gradBias += g;
                row[j] = (float) (t * g);
              }
              lossByRow[i] = loss;
              gradLogTByRow[i] = gradLogT;
              gradBiasByRow[i] = gradBias;
            }
          });
      batch.addGradients(s, from, to, gradX, gradY);
    }
    return new LossResult(
        sum(lossByRow) * invB,
        PairBatch.toMatrix(gradX, batch.dim),
        PairBatch.toMatrix(gradY, batch.dim),
        sum(gradLogTByRow),
        sum(gradBiasByRow));
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  @Override
  public String toString() {
    return ChunkRows.describe("SigmoidLoss", chunkRows);
  }
}
