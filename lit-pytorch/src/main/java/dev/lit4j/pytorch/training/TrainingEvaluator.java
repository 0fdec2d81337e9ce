package dev.lit4j.pytorch.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.RetrievalMetrics;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LinearHeadImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TextTower;
import dev.lit4j.training.EvaluationData;
import dev.lit4j.training.EvaluationMetrics;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.ZeroShotSet;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates the text tower being trained on held-out pre-computed image embeddings, with lit-core's
 * own {@link ZeroShotClassifier}, {@link ClassificationMetrics} and {@link RetrievalMetrics}: the
 * same code a user of the finished model runs. The image tower is only named in the {@link
 * LitModel} the classifier needs; it never embeds anything here.
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
    Optional<ClassificationMetrics> zeroShot = data.zeroShot().map(z -> zeroShot(view, z, head));
    Optional<RetrievalMetrics> retrieval = data.retrieval().map(r -> retrieval(textTower, r, head));
    return new EvaluationMetrics(step, zeroShot, retrieval);
  }

  private static EmbeddingMatrix images(EmbeddingMatrix images, Optional<FloatMatrix> head) {
    return head.map(w -> LinearHeadImageTower.project(w, images)).orElse(images);
  }

  private static ClassificationMetrics zeroShot(
      LitModel model, ZeroShotSet set, Optional<FloatMatrix> head) {
    ZeroShotClassifier classifier = ZeroShotClassifier.of(model, set.classNames());
    return ClassificationMetrics.evaluate(
        classifier.classifyAll(images(set.images(), head)), set.trueClasses());
  }

  private static RetrievalMetrics retrieval(
      TextTower textTower, PairedEmbeddings pairs, Optional<FloatMatrix> head) {
    List<String> texts = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      for (String caption : pairs.captions().get(i)) {
        texts.add(caption);
        owner.add(i);
      }
    }
    EmbeddingMatrix textEmbeddings = textTower.embedAll(texts);
    return RetrievalMetrics.evaluate(
        images(pairs.images(), head),
        textEmbeddings,
        owner.stream().mapToInt(Integer::intValue).toArray());
  }
}
