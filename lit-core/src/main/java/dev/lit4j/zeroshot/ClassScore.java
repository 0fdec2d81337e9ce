package dev.lit4j.zeroshot;

import java.util.Objects;

/**
 * The score of one class for one image.
 *
 * @param label the canonical class label
 * @param classIndex the class's index in the classifier's label list
 * @param score the calibrated score: a softmax probability (scores of all classes sum to 1) or an
 *     independent sigmoid probability, per the model's {@link dev.lit4j.model.ScoreCalibration}
 * @param cosine the cosine similarity of the image and class embeddings, in {@code [-1, 1]}
 */
public record ClassScore(String label, int classIndex, double score, double cosine) {
  /**
   * @param label the canonical class label
   * @param classIndex the class's index in the classifier's label list
   * @param score the calibrated score: a softmax probability (scores of all classes sum to 1) or an
   *     independent sigmoid probability, per the model's {@link dev.lit4j.model.ScoreCalibration}
   * @param cosine the cosine similarity of the image and class embeddings, in {@code [-1, 1]}
   * @throws IllegalArgumentException if {@code classIndex} is negative or a value is not finite
   */
  public ClassScore {
    Objects.requireNonNull(label, "label");
    if (classIndex < 0) {
      throw new IllegalArgumentException("classIndex must be >= 0, got " + classIndex);
    }
    if (!Double.isFinite(score) || !Double.isFinite(cosine)) {
      throw new IllegalArgumentException(
          "score and cosine must be finite, got score " + score + ", cosine " + cosine);
    }
  }
}
