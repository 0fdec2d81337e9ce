package dev.lit4j.eval;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.zeroshot.ClassScores;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a top-1 accuracy has to be read against: whether the classifier is good on every class or
 * only on the frequent ones, whether it sends everything to one class, and (for a zero-shot
 * classifier) whether its class embeddings can be told apart at all. A companion of {@link
 * ClassificationMetrics}, computed from the same predictions.
 *
 * <ul>
 *   <li>{@code balancedTop1}: the mean over the classes that occur in the truth of the recall (the
 *       share of that class's items predicted as it); equals top-1 when every class has equally
 *       many items. A classifier that ignores its input scores {@code 1/classes} in expectation if
 *       it guesses uniformly, and {@code 1/classesInTruth} if it always answers one class present
 *       in the truth, whatever the class frequencies; plain top-1 rewards always answering the
 *       majority class with {@code majorityShare}.
 *   <li>{@code mostPredictedShare}: the share of items sent to the most-predicted class; near 1
 *       means the classifier collapsed onto one class. At least {@code 1/classes}.
 *   <li>{@code majorityShare}: the share of items in the most frequent true class, the top-1 of
 *       always answering it. At least {@code 1/classes}.
 *   <li>{@code meanClassCosine}: the mean cosine over all pairs of distinct class embeddings, when
 *       computed from a {@link dev.lit4j.zeroshot.ZeroShotClassifier}; near 1 means the text tower
 *       maps every class name to nearly the same vector, so small image differences decide.
 * </ul>
 *
 * @param balancedTop1 mean per-class recall over the classes present in the truth, in {@code [0,
 *     1]}
 * @param mostPredictedShare share of items whose best class is {@code mostPredictedClass}
 * @param mostPredictedClass the class index predicted most often (the lowest on a tie)
 * @param majorityShare share of items whose true class is the most frequent one
 * @param classes the number of classes the classifier chooses among, at least 2
 * @param classesInTruth the number of distinct true classes, in {@code [1, classes]}
 * @param meanClassCosine mean pairwise cosine of the class embeddings, in {@code [-1, 1]}, or empty
 *     when not computed from a classifier
 */
public record ClassificationDiagnostics(
    double balancedTop1,
    double mostPredictedShare,
    int mostPredictedClass,
    double majorityShare,
    int classes,
    int classesInTruth,
    OptionalDouble meanClassCosine) {

  /**
   * @param balancedTop1 mean per-class recall over the classes present in the truth, in {@code [0,
   *     1]}
   * @param mostPredictedShare share of items whose best class is {@code mostPredictedClass}
   * @param mostPredictedClass the class index predicted most often (the lowest on a tie)
   * @param majorityShare share of items whose true class is the most frequent one
   * @param classes the number of classes the classifier chooses among, at least 2
   * @param classesInTruth the number of distinct true classes, in {@code [1, classes]}
   * @param meanClassCosine mean pairwise cosine of the class embeddings, in {@code [-1, 1]}, or
   *     empty when not computed from a classifier
   * @throws IllegalArgumentException if a value is outside its range (documented on each component;
   *     the value is named)
   */
  public ClassificationDiagnostics {
    Objects.requireNonNull(meanClassCosine, "meanClassCosine");
    if (classes < 2 || classesInTruth < 1 || classesInTruth > classes) {
      throw new IllegalArgumentException(
          "need classes >= 2 and 1 <= classesInTruth <= classes, got classes "
              + classes
              + ", classesInTruth "
              + classesInTruth);
    }
    if (mostPredictedClass < 0 || mostPredictedClass >= classes) {
      throw new IllegalArgumentException(
          "mostPredictedClass "
              + mostPredictedClass
              + " is not a class index; valid: 0.."
              + (classes - 1));
    }
    checkShare("balancedTop1", balancedTop1, 0);
    // Pigeonhole: among n items in `classes` bins, some bin holds at least n / classes.
    double floor = 1.0 / classes - 1e-12;
    checkShare("mostPredictedShare", mostPredictedShare, floor);
    checkShare("majorityShare", majorityShare, floor);
    if (meanClassCosine.isPresent()) {
      double c = meanClassCosine.getAsDouble();
      if (!(c >= -1 - 1e-6 && c <= 1 + 1e-6)) {
        throw new IllegalArgumentException("meanClassCosine must be in [-1, 1], got " + c);
      }
    }
  }

  private static void checkShare(String name, double value, double min) {
    if (!(value >= min && value <= 1)) {
      throw new IllegalArgumentException(
          name + " must be in [" + Math.max(0, min) + ", 1], got " + value);
    }
  }

  /** {@return the top-1 accuracy of guessing uniformly at random: {@code 1 / classes}} */
  public double chance() {
    return 1.0 / classes;
  }

  /**
   * Computes the diagnostics of predictions against true class indices (the classifier's label
   * order); {@code predictions[i]}'s best class is item {@code i}'s prediction. No class cosine.
   *
   * @param predictions the classifier's scores, one per item, all over the same classes
   * @param trueClassIndices the true class of each item, in the classifier's label order
   * @return the diagnostics, without the class-embedding cosine
   * @throws IllegalArgumentException if the inputs are empty or differ in size, the predictions
   *     have fewer than 2 classes or differ in class count, or a true class index is out of range
   *     (its position and value are named)
   */
  public static ClassificationDiagnostics evaluate(
      List<ClassScores> predictions, int[] trueClassIndices) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(trueClassIndices, "trueClassIndices");
    if (predictions.isEmpty()) {
      throw new IllegalArgumentException("diagnostics need at least one prediction, got none");
    }
    int classes = Objects.requireNonNull(predictions.get(0), "predictions[0]").size();
    int[] predicted = new int[predictions.size()];
    for (int i = 0; i < predicted.length; i++) {
      ClassScores p = Objects.requireNonNull(predictions.get(i), "predictions[" + i + "]");
      if (p.size() != classes) {
        throw new IllegalArgumentException(
            "prediction " + i + " has " + p.size() + " classes, prediction 0 has " + classes);
      }
      predicted[i] = p.best().classIndex();
    }
    return of(predicted, trueClassIndices, classes);
  }

  /**
   * Computes the diagnostics of predicted against true class indices, both in {@code [0, classes)}.
   * No class cosine.
   *
   * @param predicted the predicted class of each item
   * @param truth the true class of each item
   * @param classes the number of classes, at least 2
   * @return the diagnostics, without the class-embedding cosine
   * @throws IllegalArgumentException if the arrays are empty or differ in length, {@code classes <
   *     2}, or an index is out of range (the array, position and value are named)
   */
  public static ClassificationDiagnostics of(int[] predicted, int[] truth, int classes) {
    Objects.requireNonNull(predicted, "predicted");
    Objects.requireNonNull(truth, "truth");
    if (predicted.length == 0 || predicted.length != truth.length) {
      throw new IllegalArgumentException(
          "need one true class per prediction and at least one, got "
              + predicted.length
              + " predictions and "
              + truth.length
              + " true classes");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("diagnostics need at least 2 classes, got " + classes);
    }
    int[] predictedCount = new int[classes];
    int[] trueCount = new int[classes];
    int[] correct = new int[classes];
    for (int i = 0; i < truth.length; i++) {
      checkIndex("predicted", i, predicted[i], classes);
      checkIndex("truth", i, truth[i], classes);
      predictedCount[predicted[i]]++;
      trueCount[truth[i]]++;
      correct[truth[i]] += predicted[i] == truth[i] ? 1 : 0;
    }
    double recallSum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (trueCount[c] > 0) {
        recallSum += (double) correct[c] / trueCount[c];
        present++;
      }
    }
    int mostPredicted = argMax(predictedCount);
    return new ClassificationDiagnostics(
        recallSum / present,
        (double) predictedCount[mostPredicted] / truth.length,
        mostPredicted,
        (double) trueCount[argMax(trueCount)] / truth.length,
        classes,
        present,
        OptionalDouble.empty());
  }

  /**
   * {@return these diagnostics with the mean pairwise cosine of {@code classEmbeddings} (e.g.
   * {@link dev.lit4j.zeroshot.ZeroShotClassifier#classEmbeddings()}), see {@link
   * #meanPairwiseCosine}}
   *
   * @param classEmbeddings one unit-norm embedding per class, in class order
   * @throws IllegalArgumentException if the number of class embeddings differs from {@link
   *     #classes()}
   */
  public ClassificationDiagnostics withClassEmbeddings(EmbeddingMatrix classEmbeddings) {
    Objects.requireNonNull(classEmbeddings, "classEmbeddings");
    if (classEmbeddings.size() != classes) {
      throw new IllegalArgumentException(
          "got "
              + classEmbeddings.size()
              + " class embeddings for diagnostics over "
              + classes
              + " classes; pass the classifier that made the predictions");
    }
    return new ClassificationDiagnostics(
        balancedTop1,
        mostPredictedShare,
        mostPredictedClass,
        majorityShare,
        classes,
        classesInTruth,
        OptionalDouble.of(meanPairwiseCosine(classEmbeddings)));
  }

  /**
   * {@return the mean cosine over the {@code n(n-1)/2} pairs of distinct rows of {@code
   * embeddings}, computed in float64 as {@code (|Σ e_i|² − Σ |e_i|²) / (n(n−1))} over the rows
   * re-normalised in float64: {@code O(n·d)} instead of {@code O(n²·d)}}
   *
   * @param embeddings at least 2 rows
   * @throws IllegalArgumentException if there are fewer than 2 rows
   */
  public static double meanPairwiseCosine(EmbeddingMatrix embeddings) {
    Objects.requireNonNull(embeddings, "embeddings");
    int n = embeddings.size();
    if (n < 2) {
      throw new IllegalArgumentException(
          "a mean pairwise cosine needs at least 2 embeddings, got " + n);
    }
    int d = embeddings.dimension();
    float[] data = embeddings.matrix().toArray();
    double[] sum = new double[d];
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      double norm2 = 0;
      for (int j = 0; j < d; j++) {
        row[j] = data[i * d + j];
        norm2 += row[j] * row[j];
      }
      double inv = 1 / Math.sqrt(norm2);
      for (int j = 0; j < d; j++) {
        sum[j] += row[j] * inv;
      }
    }
    double sum2 = 0;
    for (double s : sum) {
      sum2 += s * s;
    }
    // Each re-normalised row contributes |e_i|² = 1 to |Σ e_i|² besides its cross terms.
    double mean = (sum2 - n) / ((double) n * (n - 1));
    return Math.max(-1, Math.min(1, mean));
  }

  private static void checkIndex(String array, int i, int value, int classes) {
    if (value < 0 || value >= classes) {
      throw new IllegalArgumentException(
          array + "[" + i + "] = " + value + " is not a class index; valid: 0.." + (classes - 1));
    }
  }

  private static int argMax(int[] counts) {
    int best = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    return best;
  }
}
