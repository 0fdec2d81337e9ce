package dev.lit4j.eval;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * The linear-probe baseline a zero-shot accuracy is read against: multinomial logistic (softmax)
 * regression trained on frozen embeddings, its top-1 accuracy estimated by stratified k-fold
 * cross-validation. A linear probe sees the labels, so it bounds what the embeddings make linearly
 * separable; zero-shot transfer (LiT, Zhai et al. 2022, §4; CLIP, Radford et al. 2021, §3.2 and
 * Fig. 5) is judged by how close it comes without any.
 *
 * <p>Per fold: features are standardised with the mean and standard deviation of the training fold
 * (a constant feature is only centred), then {@code W, b} minimise the mean cross-entropy plus
 * {@code (l2/2)·‖W‖²} (the bias is not regularised; {@code l2 = 1/n} is scikit-learn's {@code
 * LogisticRegression(C=1)}) by full-batch L-BFGS from zero, for at most {@link #MAX_ITERATIONS}
 * iterations or until every gradient component is below {@link #GRADIENT_TOLERANCE}. The strength
 * {@code l2} is the caller's: it is not tuned by an inner cross-validation, which would multiply
 * the cost by the grid size times the inner folds, and choosing it on the outer folds would bias
 * the estimate upwards. Deviations from CLIP's probe (scikit-learn L-BFGS, {@code C} swept on a
 * validation split): a fixed {@code l2} and standardised features.
 *
 * <p>Folds are stratified: each class's items are shuffled with {@code seed} and dealt round-robin,
 * continuing from where the previous class stopped, so every fold holds each class in proportion
 * and fold sizes differ by at most one. The result depends only on the inputs and the seed.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * CrossValidatedAccuracy probe = LinearProbe.crossValidatedAccuracy(images, labels, 5, 1e-3, 42);
 * System.out.printf("linear probe %.3f ± %.3f%n", probe.mean(), probe.standardDeviation());
 * }</pre>
 */
public final class LinearProbe {
  /**
   * The most L-BFGS iterations per fold: the fixed budget that keeps a probe to seconds
   * (scikit-learn stops {@code LogisticRegression} at 100). On the shipped Tux Paint embeddings the
   * optimum needs about 250 iterations to reach a gradient of 1e-5, and stopping at this budget and
   * {@link #GRADIENT_TOLERANCE} moved the cross-validated accuracy by less than 0.004.
   */
  public static final int MAX_ITERATIONS = 200;

  /**
   * Training of a fold stops once every component of the objective's gradient is below this
   * (scikit-learn's default {@code tol} for L-BFGS).
   */
  public static final double GRADIENT_TOLERANCE = 1e-4;

  private LinearProbe() {}

  /**
   * Estimates the linear-probe top-1 accuracy on embeddings (e.g. a {@link
   * dev.lit4j.eval.ZeroShotSet}'s images and true classes); see {@link
   * #crossValidatedAccuracy(FloatMatrix, int[], int, double, long)}.
   *
   * @param x the embeddings, {@code [n, d]}, one row per item
   * @param labels the class of each row, any non-negative integers (at least 2 distinct)
   * @param folds the number of folds, at least 2
   * @param l2 the L2 regularisation strength, finite and {@code >= 0}
   * @param seed the seed of the fold assignment
   * @return the accuracy on each fold, their mean and spread
   */
  public static CrossValidatedAccuracy crossValidatedAccuracy(
      EmbeddingMatrix x, int[] labels, int folds, double l2, long seed) {
    Objects.requireNonNull(x, "x");
    return crossValidatedAccuracy(x.matrix(), labels, folds, l2, seed);
  }

  /**
   * Estimates the linear-probe top-1 accuracy on raw features by stratified k-fold
   * cross-validation.
   *
   * @param features {@code [n, d]}, one row per item; need not be normalised
   * @param labels the class of each row, any non-negative integers (at least 2 distinct)
   * @param folds the number of folds, at least 2
   * @param l2 the L2 regularisation strength, finite and {@code >= 0}
   * @param seed the seed of the fold assignment
   * @return the accuracy on each fold, their mean and spread
   * @throws IllegalArgumentException if a feature is NaN or infinite (its row and column are
   *     named), the label count differs from the row count, a label is negative (its position is
   *     named), there are fewer than 2 classes, {@code folds < 2}, there are fewer rows than folds,
   *     a class has fewer members than folds (the class and its count are named: use fewer folds or
   *     drop the class), or {@code l2} is negative or not finite
   */
  public static CrossValidatedAccuracy crossValidatedAccuracy(
      FloatMatrix features, int[] labels, int folds, double l2, long seed) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    int n = features.rows();
    int d = features.cols();
    checkArguments(features, labels, folds, l2);
    TreeMap<Integer, Integer> classIndex = new TreeMap<>();
    for (int label : labels) {
      classIndex.putIfAbsent(label, 0);
    }
    if (classIndex.size() < 2) {
      throw new IllegalArgumentException(
          "a probe needs at least 2 classes, got only label " + classIndex.firstKey());
    }
    int c = 0;
    for (Integer label : classIndex.keySet()) {
      classIndex.put(label, c++);
    }
    int k = classIndex.size();
    int[] y = new int[n];
    int[] counts = new int[k];
    for (int i = 0; i < n; i++) {
      y[i] = classIndex.get(labels[i]);
      counts[y[i]]++;
    }
    for (var e : classIndex.entrySet()) {
      if (counts[e.getValue()] < folds) {
        throw new IllegalArgumentException(
            "class "
                + e.getKey()
                + " has "
                + counts[e.getValue()]
                + " members, fewer than the "
                + folds
                + " folds, so some test fold would hold none of it; "
                + (minimum(counts) >= 2
                    ? "use at most " + minimum(counts) + " folds or drop the classes with fewer"
                    : "drop the classes with fewer")
                + " than "
                + folds
                + " members");
      }
    }
    int[] foldOf = stratifiedFolds(y, k, folds, seed);
    float[] data = features.toArray();
    List<Double> accuracies = new ArrayList<>(folds);
    for (int f = 0; f < folds; f++) {
      accuracies.add(foldAccuracy(data, n, d, y, k, foldOf, f, l2));
    }
    return CrossValidatedAccuracy.of(accuracies, k, l2);
  }

  private static void checkArguments(FloatMatrix features, int[] labels, int folds, double l2) {
    int n = features.rows();
    int bad = features.indexOfNonFinite();
    if (bad >= 0) {
      int d = features.cols();
      throw new IllegalArgumentException(
          "feature row "
              + bad / d
              + ", column "
              + bad % d
              + " is "
              + features.get(bad / d, bad % d)
              + "; every feature must be finite");
    }
    if (labels.length != n) {
      throw new IllegalArgumentException(
          "need one label per row, got " + n + " rows and " + labels.length + " labels");
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException(
            "labels[" + i + "] = " + labels[i] + "; labels must be >= 0");
      }
    }
    if (folds < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
    }
    if (n < folds) {
      throw new IllegalArgumentException(
          "cannot split " + n + " rows into " + folds + " folds; use at most " + n + " folds");
    }
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException(
          "l2 must be finite and >= 0, got " + l2 + "; e.g. 1/n for scikit-learn's C = 1");
    }
  }

  /** Returns the fold of each item: per class, shuffled by the seed and dealt round-robin. */
  static int[] stratifiedFolds(int[] y, int k, int folds, long seed) {
    Random random = new Random(seed);
    int[] foldOf = new int[y.length];
    int next = 0;
    for (int c = 0; c < k; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (y[i] == c) {
          members.add(i);
        }
      }
      Collections.shuffle(members, random);
      for (int member : members) {
        foldOf[member] = next;
        next = (next + 1) % folds;
      }
    }
    return foldOf;
  }

  /** Trains on every fold but {@code test} and returns the accuracy on {@code test}. */
  private static double foldAccuracy(
      float[] data, int n, int d, int[] y, int k, int[] foldOf, int test, double l2) {
    int testSize = 0;
    for (int f : foldOf) {
      testSize += f == test ? 1 : 0;
    }
    int trainSize = n - testSize;
    double[] train = new double[trainSize * d];
    double[] held = new double[testSize * d];
    int[] trainY = new int[trainSize];
    int[] testY = new int[testSize];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (foldOf[i] == test) {
        copyRow(data, i, d, held, b);
        testY[b++] = y[i];
      } else {
        copyRow(data, i, d, train, a);
        trainY[a++] = y[i];
      }
    }
    standardise(train, trainSize, held, testSize, d);
    SoftmaxRegression objective = new SoftmaxRegression(train, trainSize, d, trainY, k, l2);
    double[] theta = new double[objective.parameters()];
    Lbfgs.minimise(objective::valueAndGradient, theta, MAX_ITERATIONS, GRADIENT_TOLERANCE);
    int[] predicted = SoftmaxRegression.predict(theta, held, testSize, d, k);
    int correct = 0;
    for (int i = 0; i < testSize; i++) {
      correct += predicted[i] == testY[i] ? 1 : 0;
    }
    return (double) correct / testSize;
  }

  private static void copyRow(float[] src, int row, int d, double[] dst, int dstRow) {
    for (int j = 0; j < d; j++) {
      dst[dstRow * d + j] = src[row * d + j];
    }
  }

  /** Standardises both sets in place with the training set's per-feature mean and deviation. */
  private static void standardise(double[] train, int n, double[] test, int m, int d) {
    double[] mean = new double[d];
    double[] var = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += train[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double v = train[i * d + j] - mean[j];
        var[j] += v * v;
      }
    }
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(var[j] / n);
      // A feature constant on the training fold carries no information: centre it, do not scale.
      scale[j] = sd > 0 ? 1 / sd : 1;
    }
    for (double[] set : new double[][] {train, test}) {
      int rows = set == train ? n : m;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < d; j++) {
          set[i * d + j] = (set[i * d + j] - mean[j]) * scale[j];
        }
      }
    }
  }

  private static int minimum(int[] counts) {
    return Arrays.stream(counts).min().orElseThrow();
  }
}
