package dev.lit4j.embedding;

import dev.lit4j.math.FloatMatrix;
import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * A fixed, regularised PCA-whitening of image embeddings: {@code y = normalise(W (x − μ))}, with
 * {@code μ} the mean of a reference set of embeddings and {@code W = diag(1/√(λᵢ + ε·λ_max)) Vᵀ}
 * from the eigendecomposition {@code Σ = V diag(λ) Vᵀ} of its covariance, keeping the {@code k}
 * leading components.
 *
 * <p>Why: a locked tower's pooled ReLU activations are all non-negative, so its embeddings sit in a
 * narrow cone (unrelated images of MobileNetV2 at {@code block_13_expand_relu} have a median cosine
 * of 0.94) and a few high-variance directions dominate every dot product. Centring removes the
 * shared direction; dividing by the spread of each principal direction lets the low-variance
 * directions, where classes differ, count in the cosine. {@code ε} bounds the gain of the weakest
 * directions (noise) at {@code 1/√ε} times that of the strongest. The transform is computed from
 * images only, so the tower stays locked: it is part of the tower (see {@code
 * dev.lit4j.model.WhitenedImageTower}), saved with the model and applied identically when a store
 * is built, during training and at inference.
 *
 * <p>Immutable and thread-safe; arrays are copied in and out.
 */
public final class Whitening {
  private final float[] mean;
  private final FloatMatrix matrix;
  private final double epsilon;

  private Whitening(float[] mean, FloatMatrix matrix, double epsilon) {
    this.mean = mean;
    this.matrix = matrix;
    this.epsilon = epsilon;
  }

  /**
   * Fits the transform to {@code reference} embeddings.
   *
   * @param reference the images whose statistics define the transform, {@code [N, D]}
   * @param components how many leading principal directions to keep, {@code 1 ≤ k ≤ D}
   * @param epsilon regulariser, relative to the largest eigenvalue; {@code > 0}
   * @return the fitted transform, {@code [k, D]}
   * @throws IllegalArgumentException if there are fewer than 2 reference rows, {@code components}
   *     is out of range, or {@code epsilon} is not a positive finite number (the value is named)
   */
  public static Whitening fit(EmbeddingMatrix reference, int components, double epsilon) {
    Objects.requireNonNull(reference, "reference");
    int n = reference.size();
    int d = reference.dimension();
    if (n < 2) {
      throw new IllegalArgumentException(
          "whitening needs at least 2 reference embeddings to estimate a covariance, got " + n);
    }
    if (components < 1 || components > d) {
      throw new IllegalArgumentException(
          "components must be in [1, " + d + "] (the embedding dimension), got " + components);
    }
    checkEpsilon(epsilon);
    float[] x = reference.matrix().toArray();
    double[] mu = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mu[j] += x[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= n;
    }
    double[][] cov = new double[d][d];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = x[i * d + j] - mu[j];
      }
      for (int a = 0; a < d; a++) {
        double ra = row[a];
        double[] ca = cov[a];
        for (int b = a; b < d; b++) {
          ca[b] += ra * row[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        cov[a][b] /= n - 1;
        cov[b][a] = cov[a][b];
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
    double[] lambda = eigen.getRealEigenvalues();
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(lambda[q], lambda[p]));
    double floor = epsilon * Math.max(lambda[order[0]], Double.MIN_NORMAL);
    float[] w = new float[components * d];
    for (int r = 0; r < components; r++) {
      int e = order[r];
      double scale = 1 / Math.sqrt(Math.max(lambda[e], 0) + floor);
      double[] v = eigen.getEigenvector(e).toArray();
      // Eigenvectors are defined up to sign; fix it (largest entry positive) so that a refit on
      // the same data gives the same bytes and the same checksum.
      int big = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(v[j]) > Math.abs(v[big])) {
          big = j;
        }
      }
      double sign = v[big] < 0 ? -1 : 1;
      for (int j = 0; j < d; j++) {
        w[r * d + j] = (float) (sign * scale * v[j]);
      }
    }
    float[] meanF = new float[d];
    for (int j = 0; j < d; j++) {
      meanF[j] = (float) mu[j];
    }
    return new Whitening(meanF, FloatMatrix.wrap(components, d, w), epsilon);
  }

  /**
   * Rebuilds a saved transform.
   *
   * @param mean {@code μ}, {@code [D]}
   * @param matrix {@code W}, {@code [k, D]}
   * @param epsilon the regulariser it was fitted with (recorded, not re-applied)
   * @return the transform
   * @throws IllegalArgumentException if the shapes disagree or a value is not finite (named)
   */
  public static Whitening of(float[] mean, FloatMatrix matrix, double epsilon) {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(matrix, "matrix");
    checkEpsilon(epsilon);
    if (matrix.cols() != mean.length) {
      throw new IllegalArgumentException(
          "whitening matrix has "
              + matrix.cols()
              + " columns but the mean has "
              + mean.length
              + " entries; both must equal the inner embedding dimension");
    }
    for (int j = 0; j < mean.length; j++) {
      if (!Float.isFinite(mean[j])) {
        throw new IllegalArgumentException("whitening mean entry " + j + " is " + mean[j]);
      }
    }
    int bad = matrix.indexOfNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "whitening matrix entry at flat index " + bad + " is not finite");
    }
    return new Whitening(mean.clone(), matrix, epsilon);
  }

  private static void checkEpsilon(double epsilon) {
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException(
          "epsilon must be a positive finite number, got " + epsilon + "; 0.01 is a good start");
    }
  }

  /** {@return the input dimension {@code D}} */
  public int inputDimension() {
    return mean.length;
  }

  /** {@return the output dimension {@code k}} */
  public int outputDimension() {
    return matrix.rows();
  }

  /** {@return a copy of the reference mean {@code μ}, {@code [D]}} */
  public float[] mean() {
    return mean.clone();
  }

  /** {@return {@code W}, {@code [k, D]}} */
  public FloatMatrix matrix() {
    return matrix;
  }

  /** {@return the regulariser {@code ε} the transform was fitted with} */
  public double epsilon() {
    return epsilon;
  }

  /**
   * {@return {@code normalise(W (x_i − μ))} for every row}
   *
   * @param embeddings unit-norm inputs, {@code [N, D]}
   * @throws IllegalArgumentException if the embeddings' dimension is not {@link #inputDimension()}
   */
  public EmbeddingMatrix apply(EmbeddingMatrix embeddings) {
    Objects.requireNonNull(embeddings, "embeddings");
    int d = mean.length;
    if (embeddings.dimension() != d) {
      throw new IllegalArgumentException(
          "embeddings have dimension "
              + embeddings.dimension()
              + " but the whitening was fitted on dimension "
              + d
              + "; embed with the tower the whitening belongs to");
    }
    int n = embeddings.size();
    int k = matrix.rows();
    float[] x = embeddings.matrix().toArray();
    float[] w = matrix.toArray();
    float[] y = new float[n * k];
    float[] centred = new float[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        centred[j] = x[i * d + j] - mean[j];
      }
      for (int r = 0; r < k; r++) {
        double s = 0;
        int base = r * d;
        for (int j = 0; j < d; j++) {
          s += (double) w[base + j] * centred[j];
        }
        y[i * k + r] = (float) s;
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(n, k, y));
  }
}
