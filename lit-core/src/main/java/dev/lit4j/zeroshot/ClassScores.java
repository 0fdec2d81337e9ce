package dev.lit4j.zeroshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scores of all classes for one image, sorted best first. Ties in score are broken by the lower
 * class index, so the order is deterministic.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClassScores {
  private static final Comparator<ClassScore> BEST_FIRST =
      Comparator.comparingDouble(ClassScore::score)
          .reversed()
          .thenComparingInt(ClassScore::classIndex);

  private final List<ClassScore> ranked;
  private final Map<String, Integer> rankByLabel;
  private final List<String> labels;

  private ClassScores(List<ClassScore> ranked, List<String> labels) {
    this.ranked = ranked;
    this.labels = labels;
    this.rankByLabel = new HashMap<>();
    for (int r = 0; r < ranked.size(); r++) {
      rankByLabel.put(ranked.get(r).label(), r);
    }
  }

  /**
   * Builds the scores of classes {@code 0..n-1}, where class {@code k} has label {@code labels[k]},
   * score {@code scores[k]} and cosine {@code cosines[k]}.
   *
   * @throws IllegalArgumentException if the sizes differ, the list is empty, labels repeat, or a
   *     value is not finite
   */
  public static ClassScores of(List<String> labels, double[] scores, double[] cosines) {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(cosines, "cosines");
    if (labels.isEmpty() || labels.size() != scores.length || labels.size() != cosines.length) {
      throw new IllegalArgumentException(
          "need one score and cosine per label, got "
              + labels.size()
              + " labels, "
              + scores.length
              + " scores, "
              + cosines.length
              + " cosines (at least one)");
    }
    List<ClassScore> list = new ArrayList<>(scores.length);
    for (int k = 0; k < scores.length; k++) {
      list.add(new ClassScore(labels.get(k), k, scores[k], cosines[k]));
    }
    list.sort(BEST_FIRST);
    ClassScores result = new ClassScores(List.copyOf(list), List.copyOf(labels));
    if (result.rankByLabel.size() != labels.size()) {
      throw new IllegalArgumentException("labels must be distinct, got " + labels);
    }
    return result;
  }

  /** Returns every class's score, best first. */
  public List<ClassScore> ranked() {
    return ranked;
  }

  /** Returns the best-scoring class. */
  public ClassScore best() {
    return ranked.get(0);
  }

  /**
   * Returns the {@code min(k, size())} best classes, best first.
   *
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public List<ClassScore> top(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    return ranked.subList(0, Math.min(k, ranked.size()));
  }

  /** Returns the number of classes. */
  public int size() {
    return ranked.size();
  }

  /**
   * Returns the score of {@code label}, given as the classifier's canonical label or in any form
   * that canonicalises to it ({@link Labels#canonicalize}).
   *
   * @throws IllegalArgumentException if no class has that label; the message lists the labels
   */
  public double scoreOf(String label) {
    return ranked.get(rankOf(label) - 1).score();
  }

  /**
   * Returns the 1-based rank of {@code label} among the classes (1 = best), accepting the same
   * label forms as {@link #scoreOf(String)}.
   *
   * @throws IllegalArgumentException if no class has that label; the message lists the labels
   */
  public int rankOf(String label) {
    Objects.requireNonNull(label, "label");
    Integer r = rankByLabel.get(label);
    if (r == null) {
      r = rankByLabel.get(Labels.canonicalize(label));
    }
    if (r == null) {
      throw new IllegalArgumentException(
          "unknown label '" + label + "', expected one of " + labels);
    }
    return r + 1;
  }

  @Override
  public String toString() {
    return "ClassScores" + top(5);
  }
}
