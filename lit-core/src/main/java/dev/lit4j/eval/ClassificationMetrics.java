package dev.lit4j.eval;

import dev.lit4j.zeroshot.ClassScores;
import java.util.List;
import java.util.Objects;

/**
 * Top-1 and top-5 accuracy of classifications, e.g. zero-shot ImageNet accuracy (LiT, Zhai et al.
 * 2022, Table 1). A prediction is top-k correct when the true class is among its {@code k}
 * best-scoring classes, ties ordered as in {@link ClassScores#ranked()}; with fewer than 5 classes
 * every prediction is top-5 correct.
 *
 * @param top1 fraction of predictions whose best class is the true one
 * @param top5 fraction whose true class is among the 5 best
 * @param count number of predictions
 */
public record ClassificationMetrics(double top1, double top5, int count) {

  /**
   * @param top1 fraction of predictions whose best class is the true one
   * @param top5 fraction whose true class is among the 5 best
   * @param count number of predictions
   * @throws IllegalArgumentException if an accuracy is outside {@code [0, 1]}, {@code top5 < top1}
   *     or {@code count < 1}
   */
  public ClassificationMetrics {
    if (count < 1) {
      throw new IllegalArgumentException("metrics need at least one prediction, got " + count);
    }
    if (!(top1 >= 0 && top1 <= 1) || !(top5 >= top1 && top5 <= 1)) {
      throw new IllegalArgumentException(
          "need 0 <= top1 <= top5 <= 1, got top1 " + top1 + ", top5 " + top5);
    }
  }

  /**
   * Scores predictions against true labels; {@code predictions[i]} is the classification of the
   * item whose true label is {@code trueLabels[i]} (canonical, or any form that canonicalises to
   * it).
   *
   * @param predictions the classifier's scores, one per item
   * @param trueLabels the true label of each item
   * @return top-1 and top-5 accuracy and the number of predictions
   * @throws IllegalArgumentException if the lists are empty or differ in size, or a true label is
   *     not one of the prediction's classes (its index and the label are named)
   */
  public static ClassificationMetrics evaluate(
      List<ClassScores> predictions, List<String> trueLabels) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(trueLabels, "trueLabels");
    checkSizes(predictions.size(), trueLabels.size());
    int[] ranks = new int[predictions.size()];
    for (int i = 0; i < ranks.length; i++) {
      ClassScores p = Objects.requireNonNull(predictions.get(i), "predictions[" + i + "]");
      String label = Objects.requireNonNull(trueLabels.get(i), "trueLabels[" + i + "]");
      try {
        ranks[i] = p.rankOf(label);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("true label " + i + ": " + e.getMessage(), e);
      }
    }
    return fromRanks(ranks);
  }

  /**
   * Scores predictions against true class indices (the classifier's label order).
   *
   * @param predictions the classifier's scores, one per item
   * @param trueClassIndices the true class of each item, in the classifier's label order
   * @return top-1 and top-5 accuracy and the number of predictions
   * @throws IllegalArgumentException if the inputs are empty or differ in size, or a true class
   *     index is out of range (its position and value are named)
   */
  public static ClassificationMetrics evaluate(
      List<ClassScores> predictions, int[] trueClassIndices) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(trueClassIndices, "trueClassIndices");
    checkSizes(predictions.size(), trueClassIndices.length);
    int[] ranks = new int[predictions.size()];
    for (int i = 0; i < ranks.length; i++) {
      ClassScores p = Objects.requireNonNull(predictions.get(i), "predictions[" + i + "]");
      int truth = trueClassIndices[i];
      if (truth < 0 || truth >= p.size()) {
        throw new IllegalArgumentException(
            "trueClassIndices["
                + i
                + "] = "
                + truth
                + " is not a class index; prediction "
                + i
                + " has "
                + p.size()
                + " classes");
      }
      ranks[i] = p.rankOf(truth);
    }
    return fromRanks(ranks);
  }

  private static void checkSizes(int predictions, int truths) {
    if (predictions == 0 || predictions != truths) {
      throw new IllegalArgumentException(
          "need one true label per prediction and at least one, got "
              + predictions
              + " predictions and "
              + truths
              + " true labels");
    }
  }

  private static ClassificationMetrics fromRanks(int[] ranks) {
    int at1 = 0;
    int at5 = 0;
    for (int r : ranks) {
      at1 += r == 1 ? 1 : 0;
      at5 += r <= 5 ? 1 : 0;
    }
    return new ClassificationMetrics(
        (double) at1 / ranks.length, (double) at5 / ranks.length, ranks.length);
  }
}
