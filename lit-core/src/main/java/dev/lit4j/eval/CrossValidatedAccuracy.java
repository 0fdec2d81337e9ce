package dev.lit4j.eval;

import java.util.List;
import java.util.Objects;

/**
 * The top-1 accuracy of a classifier estimated by k-fold cross-validation, e.g. by {@link
 * LinearProbe#crossValidatedAccuracy}.
 *
 * @param mean the mean of the fold accuracies (each fold weighs the same)
 * @param foldAccuracies the accuracy on each held-out fold, in fold order; at least 2
 * @param standardDeviation the sample standard deviation of the fold accuracies ({@code k − 1} in
 *     the denominator): their spread, not the standard error of the mean
 * @param classes the number of classes in the labels
 * @param l2 the L2 regularisation strength the classifier was trained with
 */
public record CrossValidatedAccuracy(
    double mean, List<Double> foldAccuracies, double standardDeviation, int classes, double l2) {
  /**
   * @param mean the mean of the fold accuracies (each fold weighs the same)
   * @param foldAccuracies the accuracy on each held-out fold, in fold order; at least 2
   * @param standardDeviation the sample standard deviation of the fold accuracies ({@code k − 1} in
   *     the denominator): their spread, not the standard error of the mean
   * @param classes the number of classes in the labels
   * @param l2 the L2 regularisation strength the classifier was trained with
   * @throws IllegalArgumentException if there are fewer than 2 folds, an accuracy is outside {@code
   *     [0, 1]}, the mean or spread is not that of the folds, or {@code classes < 2}
   */
  public CrossValidatedAccuracy {
    foldAccuracies = List.copyOf(Objects.requireNonNull(foldAccuracies, "foldAccuracies"));
    if (foldAccuracies.size() < 2) {
      throw new IllegalArgumentException(
          "cross-validation needs at least 2 folds, got " + foldAccuracies);
    }
    for (int f = 0; f < foldAccuracies.size(); f++) {
      double a = foldAccuracies.get(f);
      if (!(a >= 0 && a <= 1)) {
        throw new IllegalArgumentException(
            "accuracy of fold " + f + " must be in [0, 1], got " + a);
      }
    }
    double expected = meanOf(foldAccuracies);
    if (!(Math.abs(mean - expected) <= 1e-12)) {
      throw new IllegalArgumentException(
          "mean " + mean + " is not the mean " + expected + " of the folds " + foldAccuracies);
    }
    if (!(standardDeviation >= 0) || Double.isInfinite(standardDeviation)) {
      throw new IllegalArgumentException(
          "standardDeviation must be finite and >= 0, got " + standardDeviation);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("need at least 2 classes, got " + classes);
    }
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
    }
  }

  /**
   * {@return the result for fold accuracies, with their mean and sample standard deviation}
   *
   * @param foldAccuracies the top-1 accuracy on each held-out fold, each in {@code [0, 1]}
   * @param classes the number of classes
   * @param l2 the L2 regularisation strength the classifier was trained with
   */
  public static CrossValidatedAccuracy of(List<Double> foldAccuracies, int classes, double l2) {
    Objects.requireNonNull(foldAccuracies, "foldAccuracies");
    double mean = meanOf(foldAccuracies);
    double squares = 0;
    for (double a : foldAccuracies) {
      squares += (a - mean) * (a - mean);
    }
    double sd = foldAccuracies.size() < 2 ? 0 : Math.sqrt(squares / (foldAccuracies.size() - 1));
    return new CrossValidatedAccuracy(mean, foldAccuracies, sd, classes, l2);
  }

  /** {@return the number of folds} */
  public int folds() {
    return foldAccuracies.size();
  }

  /** {@return the lowest fold accuracy} */
  public double min() {
    return foldAccuracies.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /** {@return the highest fold accuracy} */
  public double max() {
    return foldAccuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static double meanOf(List<Double> values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.isEmpty() ? Double.NaN : sum / values.size();
  }
}
