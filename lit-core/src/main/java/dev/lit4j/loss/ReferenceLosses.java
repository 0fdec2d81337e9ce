package dev.lit4j.loss;

import dev.lit4j.math.Similarity;
import dev.lit4j.math.StableMath;
import java.util.Objects;

/**
 * Float64 reference implementations of the contrastive losses and their analytic gradients, written
 * for obviousness rather than speed ({@code O(B² D)} plain loops, full {@code B × B} matrices).
 * They are the oracle that {@link SoftmaxLoss}, {@link SigmoidLoss} and engine kernels are tested
 * against, and are themselves tested against finite differences. See those classes for the
 * formulas.
 *
 * <p>Thread-safe: stateless. Inputs are not validated beyond their shapes.
 */
public final class ReferenceLosses {
  private ReferenceLosses() {}

  /**
   * A loss value with its gradients, in float64.
   *
   * @param value the loss
   * @param gradX {@code ∂L/∂X}, shape {@code [B, D]}
   * @param gradY {@code ∂L/∂Y}, shape {@code [B, D]}
   * @param gradLogTemperature {@code ∂L/∂ log t}
   * @param gradBias {@code ∂L/∂b}; zero for the softmax loss
   */
  public record Result(
      double value,
      double[][] gradX,
      double[][] gradY,
      double gradLogTemperature,
      double gradBias) {
    /**
     * Copies the gradients.
     *
     * @param value the loss
     * @param gradX {@code ∂L/∂X}, shape {@code [B, D]}
     * @param gradY {@code ∂L/∂Y}, shape {@code [B, D]}
     * @param gradLogTemperature {@code ∂L/∂ log t}
     * @param gradBias {@code ∂L/∂b}; zero for the softmax loss
     */
    public Result {
      gradX = deepCopy(Objects.requireNonNull(gradX, "gradX"));
      gradY = deepCopy(Objects.requireNonNull(gradY, "gradY"));
    }

    /** {@return a copy of {@code ∂L/∂X}} */
    @Override
    public double[][] gradX() {
      return deepCopy(gradX);
    }

    /** {@return a copy of {@code ∂L/∂Y}} */
    @Override
    public double[][] gradY() {
      return deepCopy(gradY);
    }
  }

  /**
   * The symmetric softmax loss {@code ½ (CE(z, I) + CE(zᵀ, I))} with {@code z = exp(logTemperature)
   * · X Yᵀ}.
   *
   * @param x {@code B} rows of length {@code D}
   * @param y {@code B} rows of length {@code D}
   * @param logTemperature {@code log t}
   * @return the loss and its gradients, in float64
   * @throws IllegalArgumentException if the shapes differ or {@code B = 0}
   */
  public static Result softmax(double[][] x, double[][] y, double logTemperature) {
    int b = checkShapes(x, y);
    double t = Math.exp(logTemperature);
    double[][] z = logits(x, y, t);
    double[][] zT = transpose(z);
    double loss = 0;
    double[][] g = new double[b][b];
    for (int i = 0; i < b; i++) {
      double rowLse = StableMath.logSumExp(z[i]);
      double colLse = StableMath.logSumExp(zT[i]);
      loss += 0.5 * (rowLse - z[i][i]) / b + 0.5 * (colLse - z[i][i]) / b;
      for (int j = 0; j < b; j++) {
        g[i][j] += 0.5 / b * (Math.exp(z[i][j] - rowLse) - (i == j ? 1 : 0));
        g[j][i] += 0.5 / b * (Math.exp(z[j][i] - colLse) - (i == j ? 1 : 0));
      }
    }
    return withGradients(loss, x, y, t, z, g, 0);
  }

  /**
   * The sigmoid loss {@code −(1/B) Σᵢⱼ log σ(sᵢⱼ (zᵢⱼ + b))} with {@code z = exp(logTemperature) ·
   * X Yᵀ}, {@code sᵢᵢ = +1} and {@code −1} elsewhere.
   *
   * @param x {@code B} rows of length {@code D}
   * @param y {@code B} rows of length {@code D}
   * @param logTemperature {@code log t}
   * @param bias {@code b}
   * @return the loss and its gradients, in float64
   * @throws IllegalArgumentException if the shapes differ or {@code B = 0}
   */
  public static Result sigmoid(double[][] x, double[][] y, double logTemperature, double bias) {
    int b = checkShapes(x, y);
    double t = Math.exp(logTemperature);
    double[][] z = logits(x, y, t);
    double loss = 0;
    double gradBias = 0;
    double[][] g = new double[b][b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        double sign = i == j ? 1 : -1;
        double u = z[i][j] + bias;
        loss -= StableMath.logSigmoid(sign * u) / b;
        // d/du [−log σ(s u)] = −s σ(−s u)
        g[i][j] = -sign * StableMath.sigmoid(-sign * u) / b;
        gradBias += g[i][j];
      }
    }
    return withGradients(loss, x, y, t, z, g, gradBias);
  }

  /** Chain rule from {@code g = ∂L/∂z}: {@code ∂L/∂X = t g Y}, {@code ∂L/∂Y = t gᵀ X}. */
  private static Result withGradients(
      double loss, double[][] x, double[][] y, double t, double[][] z, double[][] g, double gb) {
    int b = x.length;
    int d = x[0].length;
    double[][] gradX = new double[b][d];
    double[][] gradY = new double[b][d];
    double gradLogT = 0;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        gradLogT += g[i][j] * z[i][j]; // ∂z/∂ log t = z
        for (int k = 0; k < d; k++) {
          gradX[i][k] += t * g[i][j] * y[j][k];
          gradY[j][k] += t * g[i][j] * x[i][k];
        }
      }
    }
    return new Result(loss, gradX, gradY, gradLogT, gb);
  }

  private static double[][] logits(double[][] x, double[][] y, double t) {
    double[][] z = Similarity.matrixReference(x, y);
    for (double[] row : z) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= t;
      }
    }
    return z;
  }

  private static double[][] transpose(double[][] m) {
    double[][] out = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        out[j][i] = m[i][j];
      }
    }
    return out;
  }

  private static int checkShapes(double[][] x, double[][] y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException(
          "x and y must hold the same number B >= 1 of rows, got " + x.length + " and " + y.length);
    }
    int d = x[0].length;
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d || y[i].length != d) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has lengths x = "
                + x[i].length
                + ", y = "
                + y[i].length
                + ", expected "
                + d);
      }
    }
    return x.length;
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }
}
