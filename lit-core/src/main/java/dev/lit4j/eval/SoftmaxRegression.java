package dev.lit4j.eval;

import java.util.Arrays;

/**
 * The objective of L2-regularised multinomial logistic (softmax) regression on dense float64
 * features, and its gradient, for {@link LinearProbe}:
 *
 * <pre>
 *   f(W, b) = (1/n) Σ_i [ log Σ_k exp(z_ik) − z_i,y_i ] + (λ/2) ‖W‖²,   z_i = W x_i + b
 *   ∂f/∂W   = (1/n) Σ_i (p_i − e_y_i) x_iᵀ + λ W,   ∂f/∂b = (1/n) Σ_i (p_i − e_y_i)
 * </pre>
 *
 * with {@code p_i = softmax(z_i)}; the bias is not regularised (as in scikit-learn's {@code
 * LogisticRegression}). Parameters are one array: {@code W} ({@code [k, d]}, row-major), then
 * {@code b} ({@code k}).
 *
 * <p>Not thread-safe: it reuses its scratch arrays.
 */
final class SoftmaxRegression {
  private static final int BLOCK = 4;

  private final double[] x;
  private final int n;
  private final int d;
  private final int[] y;
  private final int k;
  private final double l2;

  /** Scratch: the scores, then the residuals, of one block of rows, {@code [BLOCK, k]}. */
  private final double[] logits;

  /**
   * @param x features, {@code [n, d]} row-major, not copied
   * @param y class of each row, in {@code [0, k)}
   */
  SoftmaxRegression(double[] x, int n, int d, int[] y, int k, double l2) {
    this.x = x;
    this.n = n;
    this.d = d;
    this.y = y;
    this.k = k;
    this.l2 = l2;
    this.logits = new double[BLOCK * k];
  }

  /** Returns the number of parameters, {@code k·(d + 1)}. */
  int parameters() {
    return k * (d + 1);
  }

  /** Returns {@code f(theta)} and writes its gradient into {@code gradient}. */
  double valueAndGradient(double[] theta, double[] gradient) {
    Arrays.fill(gradient, 0);
    int biasOffset = k * d;
    double loss = 0;
    // Rows go in blocks of BLOCK: each weight is loaded once per block rather than once per row,
    // in both the scores and the gradient, which is what bounds the speed of these loops.
    for (int i0 = 0; i0 < n; i0 += BLOCK) {
      int rows = Math.min(BLOCK, n - i0);
      if (rows == BLOCK) {
        scores4(theta, i0 * d);
      } else {
        for (int r = 0; r < rows; r++) {
          scores(theta, x, (i0 + r) * d, d, k, logits, r * k);
        }
      }
      for (int r = 0; r < rows; r++) {
        int o = r * k;
        int truth = y[i0 + r];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          max = Math.max(max, logits[o + c]);
        }
        // log-sum-exp shifted by the largest logit, so no exp overflows.
        double sum = 0;
        for (int c = 0; c < k; c++) {
          sum += Math.exp(logits[o + c] - max);
        }
        double logSum = Math.log(sum) + max;
        loss += logSum - logits[o + truth];
        for (int c = 0; c < k; c++) {
          // The residual p − e_y, over n: this row's share of the mean's gradient.
          double residual = (Math.exp(logits[o + c] - logSum) - (c == truth ? 1 : 0)) / n;
          logits[o + c] = residual;
          gradient[biasOffset + c] += residual;
        }
      }
      if (rows == BLOCK) {
        gradient4(gradient, i0 * d);
      } else {
        for (int r = 0; r < rows; r++) {
          int row = (i0 + r) * d;
          for (int c = 0; c < k; c++) {
            double residual = logits[r * k + c];
            int w = c * d;
            for (int j = 0; j < d; j++) {
              gradient[w + j] += residual * x[row + j];
            }
          }
        }
      }
    }
    double penalty = 0;
    for (int p = 0; p < biasOffset; p++) {
      penalty += theta[p] * theta[p];
      gradient[p] += l2 * theta[p];
    }
    return loss / n + 0.5 * l2 * penalty;
  }

  /** Writes the scores of the {@link #BLOCK} rows from {@code row} into {@link #logits}. */
  private void scores4(double[] theta, int row) {
    int r1 = row + d;
    int r2 = r1 + d;
    int r3 = r2 + d;
    for (int c = 0; c < k; c++) {
      int w = c * d;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int j = 0; j < d; j++) {
        double wj = theta[w + j];
        s0 += wj * x[row + j];
        s1 += wj * x[r1 + j];
        s2 += wj * x[r2 + j];
        s3 += wj * x[r3 + j];
      }
      double b = theta[k * d + c];
      logits[c] = b + s0;
      logits[k + c] = b + s1;
      logits[2 * k + c] = b + s2;
      logits[3 * k + c] = b + s3;
    }
  }

  /** Adds the residuals in {@link #logits} times the {@link #BLOCK} rows from {@code row}. */
  private void gradient4(double[] gradient, int row) {
    int r1 = row + d;
    int r2 = r1 + d;
    int r3 = r2 + d;
    for (int c = 0; c < k; c++) {
      int w = c * d;
      double a0 = logits[c];
      double a1 = logits[k + c];
      double a2 = logits[2 * k + c];
      double a3 = logits[3 * k + c];
      for (int j = 0; j < d; j++) {
        gradient[w + j] += a0 * x[row + j] + a1 * x[r1 + j] + a2 * x[r2 + j] + a3 * x[r3 + j];
      }
    }
  }

  /**
   * Writes {@code z = W x + b} of the row at {@code offset} of {@code features} into {@code z} from
   * {@code zOffset}.
   */
  static void scores(
      double[] theta, double[] features, int offset, int d, int k, double[] z, int zOffset) {
    for (int c = 0; c < k; c++) {
      int w = c * d;
      // Four partial sums: independent chains the CPU can overlap.
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int j = 0;
      for (; j + 3 < d; j += 4) {
        s0 += theta[w + j] * features[offset + j];
        s1 += theta[w + j + 1] * features[offset + j + 1];
        s2 += theta[w + j + 2] * features[offset + j + 2];
        s3 += theta[w + j + 3] * features[offset + j + 3];
      }
      for (; j < d; j++) {
        s0 += theta[w + j] * features[offset + j];
      }
      z[zOffset + c] = theta[k * d + c] + (s0 + s1) + (s2 + s3);
    }
  }

  /**
   * Returns the predicted class of each of the {@code m} rows of {@code features} ({@code [m, d]}):
   * the highest score, the lower class index on a tie.
   */
  static int[] predict(double[] theta, double[] features, int m, int d, int k) {
    int[] out = new int[m];
    double[] z = new double[k];
    for (int i = 0; i < m; i++) {
      scores(theta, features, i * d, d, k, z, 0);
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (z[c] > z[best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
