package dev.lit4j.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.RetrievalMetrics;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.TextTower;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Held-out data a trainer evaluates on every {@link TrainerConfig#evalEvery()} steps and at the
 * end: zero-shot classification accuracy, image↔text retrieval recall, or both.
 *
 * @param zeroShot a labelled image set classified zero-shot with the text tower being trained
 * @param retrieval held-out image–caption pairs for Recall@K in both directions
 */
public record EvaluationData(Optional<ZeroShotSet> zeroShot, Optional<PairedEmbeddings> retrieval) {
  /** No evaluation. */
  public static final EvaluationData NONE = new EvaluationData(Optional.empty(), Optional.empty());

  /**
   * @throws NullPointerException if an argument is null (use {@link Optional#empty()})
   */
  public EvaluationData {
    Objects.requireNonNull(zeroShot, "zeroShot");
    Objects.requireNonNull(retrieval, "retrieval");
  }

  /** Returns evaluation on a zero-shot set only. */
  public static EvaluationData zeroShot(ZeroShotSet set) {
    return new EvaluationData(Optional.of(set), Optional.empty());
  }

  /** Returns evaluation on retrieval pairs only. */
  public static EvaluationData retrieval(PairedEmbeddings pairs) {
    return new EvaluationData(Optional.empty(), Optional.of(pairs));
  }

  /** Returns evaluation on both a zero-shot set and retrieval pairs. */
  public static EvaluationData of(ZeroShotSet set, PairedEmbeddings pairs) {
    return new EvaluationData(Optional.of(set), Optional.of(pairs));
  }

  /**
   * Evaluates {@code model} on this data with lit-core's own {@link ZeroShotClassifier}, {@link
   * ClassificationMetrics} and {@link RetrievalMetrics} — the code a user of the finished model
   * runs. Only the text tower embeds; images come from the pre-computed embeddings, so the image
   * tower is never run: they must already be in the model's image space (see {@link #mapImages} for
   * a model whose image tower adds a head to the tower that computed them).
   *
   * @param model the model whose text tower and calibration are evaluated
   * @param step the training step the result is labelled with
   * @throws IllegalArgumentException if the embeddings' dimension differs from the model's
   */
  public EvaluationMetrics evaluate(LitModel model, int step) {
    Objects.requireNonNull(model, "model");
    Optional<ClassificationMetrics> accuracy =
        zeroShot.map(
            z ->
                ClassificationMetrics.evaluate(
                    ZeroShotClassifier.of(model, z.classNames()).classifyAll(z.images()),
                    z.trueClasses()));
    Optional<RetrievalMetrics> recall = retrieval.map(r -> recall(model.textTower(), r));
    return new EvaluationMetrics(step, accuracy, recall);
  }

  private static RetrievalMetrics recall(TextTower textTower, PairedEmbeddings pairs) {
    List<String> texts = new ArrayList<>();
    int[] owner = new int[pairs.captions().stream().mapToInt(List::size).sum()];
    for (int i = 0; i < pairs.size(); i++) {
      for (String caption : pairs.captions().get(i)) {
        owner[texts.size()] = i;
        texts.add(caption);
      }
    }
    EmbeddingMatrix textEmbeddings = textTower.embedAll(texts);
    return RetrievalMetrics.evaluate(pairs.images(), textEmbeddings, owner);
  }

  /**
   * Returns the same evaluation with every image embedding mapped by {@code map}, e.g. through a
   * trained image head, so that the images live in the space of the model being evaluated.
   */
  public EvaluationData mapImages(UnaryOperator<EmbeddingMatrix> map) {
    Objects.requireNonNull(map, "map");
    return new EvaluationData(
        zeroShot.map(z -> new ZeroShotSet(map.apply(z.images()), z.classNames(), z.trueClasses())),
        retrieval.map(r -> new PairedEmbeddings(map.apply(r.images()), r.captions())));
  }

  /** Returns whether there is anything to evaluate. */
  public boolean isEmpty() {
    return zeroShot.isEmpty() && retrieval.isEmpty();
  }
}
