package dev.lit4j.pytorch.training;

import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LinearHeadImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TextTower;
import java.util.Optional;

/**
 * Evaluates the text tower being trained on held-out pre-computed image embeddings through {@link
 * EvaluationData#evaluate}: the same code a user of the finished model runs. The image tower is
 * only named in the {@link LitModel} the classifier needs; it never embeds anything here.
 *
 * <p>Not thread-safe; runs between training steps.
 */
final class TrainingEvaluator {
  private final EvaluationData data;
  private final ImageTower imageTower;

  TrainingEvaluator(EvaluationData data, ImageTower imageTower) {
    this.data = data;
    this.imageTower = imageTower;
  }

  boolean isEmpty() {
    return data.isEmpty();
  }

  /**
   * Evaluates with the current text tower and, when the run trains an image head, the current head
   * applied to the held-out image embeddings.
   */
  EvaluationMetrics evaluate(
      int step, TextTower textTower, ScoreCalibration calibration, Optional<FloatMatrix> head) {
    // A view over borrowed towers: it is deliberately not closed, since closing a LitModel closes
    // its towers and these belong to the caller.
    LitModel view =
        LitModel.of(PyTorchContrastiveTrainer.withHead(imageTower, head), textTower, calibration);
    EvaluationData inModelSpace =
        head.map(w -> data.mapImages(images -> LinearHeadImageTower.project(w, images)))
            .orElse(data);
    return inModelSpace.evaluate(view, step);
  }
}
