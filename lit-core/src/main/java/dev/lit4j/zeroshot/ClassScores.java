package dev.lit4j.zeroshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scores of all classes for one image, ranked best first. Ties in score are broken by the lower
 * class index, so the order is deterministic.
 *
 * <p>Scoring is on the classify hot path, so nothing is sorted until asked for: {@link #best()},
 * {@link #scoreOf} and {@link #rankOf} are single passes over the {@code K} scores, and the full
 * ranking behind {@link #ranked()} and {@link #top} is computed on first use and kept. The labels
 * and their index are shared by every {@code ClassScores} of one classifier.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClassScores {
  private static final Comparator<ClassScore> BEST_FIRST =
      Comparator.comparingDouble(ClassScore::score)
          .reversed()
          .thenComparingInt(ClassScore::classIndex);

  private final ClassIndex classes;
  private final double[] scores;
  private final double[] cosines;
  // Lazily computed; racy single-check is safe because the list is immutable and idempotent.
  private volatile List<ClassScore> ranked;

  private ClassScores(ClassIndex classes, double[] scores, double[] cosines) {
    this.classes = classes;
    this.scores = scores;
    this.cosines = cosines;
  }

  /**
   * Builds the scores of classes {@code 0..n-1}, where class {@code k} has label {@code labels[k]},
   * score {@code scores[k]} and cosine {@code cosines[k]}.
   *
   * @param labels the class labels, distinct
   * @param scores each class's score
   * @param cosines each class's cosine with the image
   * @return the classes, sorted best first
   * @throws IllegalArgumentException if the sizes differ, the list is empty, labels repeat, or a
   *     value is not finite
   */
  public static ClassScores of(List<String> labels, double[] scores, double[] cosines) {
    Objects.requireNonNull(labels, "labels");
    return of(ClassIndex.of(labels), scores, cosines);
  }

  /** As {@link #of(List, double[], double[])}, with the labels already indexed. */
  static ClassScores of(ClassIndex classes, double[] scores, double[] cosines) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(cosines, "cosines");
    int n = classes.labels().size();
    if (n != scores.length || n != cosines.length) {
      throw new IllegalArgumentException(
          "need one score and cosine per label, got "
              + n
              + " labels, "
              + scores.length
              + " scores, "
              + cosines.length
              + " cosines (at least one)");
    }
    for (int k = 0; k < n; k++) {
      if (!Double.isFinite(scores[k]) || !Double.isFinite(cosines[k])) {
        throw new IllegalArgumentException(
            "class "
                + k
                + " ('"
                + classes.labels().get(k)
                + "') has score "
                + scores[k]
                + " and cosine "
                + cosines[k]
                + "; both must be finite");
      }
    }
    return new ClassScores(classes, scores.clone(), cosines.clone());
  }

  /** {@return every class's score, best first} */
  public List<ClassScore> ranked() {
    List<ClassScore> r = ranked;
    if (r == null) {
      List<ClassScore> list = new ArrayList<>(scores.length);
      for (int k = 0; k < scores.length; k++) {
        list.add(score(k));
      }
      list.sort(BEST_FIRST);
      r = List.copyOf(list);
      ranked = r;
    }
    return r;
  }

  /** {@return the best-scoring class} */
  public ClassScore best() {
    int best = 0;
    for (int k = 1; k < scores.length; k++) {
      if (scores[k] > scores[best]) {
        best = k;
      }
    }
    return score(best);
  }

  /**
   * {@return the {@code min(k, size())} best classes, best first}
   *
   * @param k how many classes to return at most
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public List<ClassScore> top(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    return ranked().subList(0, Math.min(k, scores.length));
  }

  /** {@return the number of classes} */
  public int size() {
    return scores.length;
  }

  /**
   * {@return the score of {@code label}, given as the classifier's canonical label or in any form
   * that canonicalises to it ({@link Labels#canonicalize})}
   *
   * @param label a class label
   * @throws IllegalArgumentException if no class has that label; the message lists the labels
   */
  public double scoreOf(String label) {
    return scores[classes.indexOf(label)];
  }

  /**
   * {@return the 1-based rank of {@code label} among the classes (1 = best), accepting the same
   * label forms as {@link #scoreOf(String)}}
   *
   * @param label a class label
   * @throws IllegalArgumentException if no class has that label; the message lists the labels
   */
  public int rankOf(String label) {
    return rankOf(classes.indexOf(label));
  }

  /**
   * {@return the 1-based rank of class {@code classIndex} (1 = best): one more than the number of
   * classes ranked above it}
   *
   * @param classIndex the class, in the classifier's label order
   * @throws IndexOutOfBoundsException if {@code classIndex} is not in {@code [0, size())}
   */
  public int rankOf(int classIndex) {
    int k = Objects.checkIndex(classIndex, scores.length);
    int above = 0;
    for (int j = 0; j < scores.length; j++) {
      if (scores[j] > scores[k] || (scores[j] == scores[k] && j < k)) {
        above++;
      }
    }
    return above + 1;
  }

  private ClassScore score(int k) {
    return new ClassScore(classes.labels().get(k), k, scores[k], cosines[k]);
  }

  @Override
  public String toString() {
    return "ClassScores" + top(5);
  }

  /** Labels in class-index order and their index; built once per classifier. */
  record ClassIndex(List<String> labels, Map<String, Integer> index) {

    static ClassIndex of(List<String> labels) {
      List<String> copy = List.copyOf(labels);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("need at least one label, got none");
      }
      Map<String, Integer> index = new HashMap<>();
      for (int k = 0; k < copy.size(); k++) {
        index.put(copy.get(k), k);
      }
      if (index.size() != copy.size()) {
        throw new IllegalArgumentException("labels must be distinct, got " + copy);
      }
      return new ClassIndex(copy, Map.copyOf(index));
    }

    int indexOf(String label) {
      Objects.requireNonNull(label, "label");
      Integer k = index.get(label);
      if (k == null) {
        k = index.get(Labels.canonicalize(label));
      }
      if (k == null) {
        throw new IllegalArgumentException(
            "unknown label '" + label + "', expected one of " + labels);
      }
      return k;
    }

    @Override
    public String toString() {
      return "ClassIndex" + Arrays.toString(labels.toArray());
    }
  }
}
