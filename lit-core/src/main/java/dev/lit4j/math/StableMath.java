package dev.lit4j.math;

import java.util.Objects;

/**
 * Numerically stable scalar functions for losses and scores: log-sum-exp with max subtraction, and
 * the softplus form of {@code log σ}. Each is finite for every finite input, including arguments of
 * magnitude {@code 1e4} where the naive formulas overflow or lose all precision.
 *
 * <p>Thread-safe: stateless.
 */
public final class StableMath {
  private StableMath() {}

  /**
   * {@return {@code log Σᵢ exp(values[i])}, computed as {@code m + log Σᵢ exp(values[i] − m)} with
   * {@code m = max values}}
   *
   * @param values at least one value
   * @throws IllegalArgumentException if {@code values} is empty
   */
  public static double logSumExp(double[] values) {
    Objects.requireNonNull(values, "values");
    if (values.length == 0) {
      throw new IllegalArgumentException("logSumExp needs at least one value, got none");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
      return max;
    }
    double sum = 0;
    for (double v : values) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /**
   * {@return {@code log(1 + exp(x))}, as {@code max(x, 0) + log1p(exp(−|x|))}}
   *
   * @param x any finite value
   */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * {@return {@code log σ(x) = −softplus(−x)}}
   *
   * @param x any finite value
   */
  public static double logSigmoid(double x) {
    return -softplus(-x);
  }

  /**
   * {@return {@code σ(x) = 1 / (1 + exp(−x))}, evaluated without overflow for either sign}
   *
   * @param x any finite value
   */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }
}
