package dev.lit4j.pytorch.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.RetrievalMetrics;
import dev.lit4j.model.ImageTower;
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

  EvaluationMetrics evaluate(int step, TextTower textTower, ScoreCalibration calibration) {
    // A view over borrowed towers: it is deliberately not closed, since closing a LitModel closes
    // its towers and these belong to the caller.
    LitModel view = LitModel.of(imageTower, textTower, calibration);
    Optional<ClassificationMetrics> zeroShot = data.zeroShot().map(z -> zeroShot(view, z));
    Optional<RetrievalMetrics> retrieval = data.retrieval().map(r -> retrieval(textTower, r));
    return new EvaluationMetrics(step, zeroShot, retrieval);
  }

  private static ClassificationMetrics zeroShot(LitModel model, ZeroShotSet set) {
    ZeroShotClassifier classifier = ZeroShotClassifier.of(model, set.classNames());
    return ClassificationMetrics.evaluate(classifier.classifyAll(set.images()), set.trueClasses());
  }

  private static RetrievalMetrics retrieval(TextTower textTower, PairedEmbeddings pairs) {
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
        pairs.images(), textEmbeddings, owner.stream().mapToInt(Integer::intValue).toArray());
  }
}
