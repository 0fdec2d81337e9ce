package dev.lit4j.spark;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The class side of zero-shot classification, computed once on the driver and broadcast to
 * executors: the canonical labels, their class embeddings ({@code [K, D]}, each the normalised mean
 * of its prompts' text embeddings, as {@link ZeroShotClassifier} computes them), the model's score
 * calibration, and the identity of the model's image tower, which the embeddings being classified
 * must come from. Executors rebuild a {@link ZeroShotClassifier} from it ({@link
 * ZeroShotClassifier#of(List, EmbeddingMatrix, ScoreCalibration)}), so a distributed score equals
 * the in-memory one.
 *
 * <p>Immutable and thread-safe; serialisable (a {@code K × D} float array and a few strings).
 */
public final class ClassMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] labels;
  private final float[] rows;
  private final int dimension;
  private final LossKind loss;
  private final double temperature;
  private final double bias;
  private final String[] imageTower;

  private ClassMatrix(
      List<String> labels,
      EmbeddingMatrix classEmbeddings,
      ScoreCalibration calibration,
      TowerIdentity imageTower) {
    this.labels = labels.toArray(String[]::new);
    this.rows = classEmbeddings.matrix().toArray();
    this.dimension = classEmbeddings.dimension();
    this.loss = calibration.loss();
    this.temperature = calibration.temperature();
    this.bias = calibration.bias();
    this.imageTower =
        new String[] {imageTower.name(), imageTower.checksum(), imageTower.preprocessing()};
  }

  /**
   * Embeds the prompts of {@code labels} with the model's text tower, using the model's declared
   * prompt templates (else {@link PromptTemplates#SIMPLE_7}), as {@link
   * ZeroShotClassifier#of(LitModel, List)} does.
   *
   * @throws IllegalArgumentException as {@link ZeroShotClassifier#of(LitModel, List)}
   */
  public static ClassMatrix of(LitModel model, List<String> labels) {
    Objects.requireNonNull(model, "model");
    return from(ZeroShotClassifier.of(model, labels), model);
  }

  /** As {@link #of(LitModel, List)} with the given prompt templates. */
  public static ClassMatrix of(LitModel model, List<String> labels, PromptTemplates templates) {
    Objects.requireNonNull(model, "model");
    return from(ZeroShotClassifier.builder(model, labels).templates(templates).build(), model);
  }

  private static ClassMatrix from(ZeroShotClassifier classifier, LitModel model) {
    return new ClassMatrix(
        classifier.labels(),
        classifier.classEmbeddings(),
        model.calibration(),
        model.imageTower().identity());
  }

  /** Returns the canonical labels, in class-index order. */
  public List<String> labels() {
    return List.of(labels);
  }

  /** Returns the embedding dimension {@code D}. */
  public int dimension() {
    return dimension;
  }

  /** Returns the identity of the image tower whose embeddings these classes score. */
  public TowerIdentity imageTower() {
    return new TowerIdentity(imageTower[0], imageTower[1], imageTower[2]);
  }

  /** Rebuilds the classifier (it needs no model). */
  ZeroShotClassifier classifier() {
    return ZeroShotClassifier.of(
        List.of(labels),
        EmbeddingMatrix.normalising(FloatMatrix.wrap(labels.length, dimension, rows.clone())),
        new ScoreCalibration(loss, temperature, bias));
  }
}
