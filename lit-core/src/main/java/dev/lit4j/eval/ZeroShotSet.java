package dev.lit4j.eval;

import dev.lit4j.embedding.EmbeddingMatrix;
import java.util.List;
import java.util.Objects;

/**
 * A labelled held-out set for zero-shot evaluation during training: pre-computed image embeddings
 * and the true class of each, among {@code classNames}. The class names are turned into prompts and
 * embedded by the text tower being trained.
 *
 * @param images image embeddings from the locked image tower, shape {@code [N, D]}
 * @param classNames the class labels, in class-index order
 * @param trueClasses {@code trueClasses[i]} is the class index of image {@code i}
 */
public record ZeroShotSet(EmbeddingMatrix images, List<String> classNames, int[] trueClasses) {
  /**
   * @param images image embeddings from the locked image tower, shape {@code [N, D]}
   * @param classNames the class labels, in class-index order
   * @param trueClasses {@code trueClasses[i]} is the class index of image {@code i}
   * @throws IllegalArgumentException if there are fewer than 2 classes, the counts differ, or a
   *     class index is out of range (its position and value are named)
   */
  public ZeroShotSet {
    Objects.requireNonNull(images, "images");
    classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
    trueClasses = Objects.requireNonNull(trueClasses, "trueClasses").clone();
    if (classNames.size() < 2) {
      throw new IllegalArgumentException(
          "zero-shot evaluation needs at least 2 classes, got " + classNames);
    }
    if (trueClasses.length != images.size()) {
      throw new IllegalArgumentException(
          "image and label counts differ: "
              + images.size()
              + " image embeddings, "
              + trueClasses.length
              + " labels");
    }
    for (int i = 0; i < trueClasses.length; i++) {
      if (trueClasses[i] < 0 || trueClasses[i] >= classNames.size()) {
        throw new IllegalArgumentException(
            "trueClasses["
                + i
                + "] = "
                + trueClasses[i]
                + " is not a class index; valid: 0.."
                + (classNames.size() - 1));
      }
    }
  }

  /** {@return a copy of the true class indices} */
  @Override
  public int[] trueClasses() {
    return trueClasses.clone();
  }
}
