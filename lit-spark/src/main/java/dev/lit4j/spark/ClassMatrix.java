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

  /** The canonical labels, in class-index order ({@code K} of them). */
  private final String[] labels;

  /** The class embeddings, row-major {@code [K, D]}: row {@code k} is class {@code k}. */
  private final float[] rows;

  /** The embedding dimension {@code D}. */
  private final int dimension;

  /** The loss the model was trained with: softmax over classes, or a sigmoid per class. */
  private final LossKind loss;

  /** The learned logit scale {@code t > 0} the cosines are multiplied by. */
  private final double temperature;

  /** The learned logit bias {@code b} (used by the sigmoid loss only). */
  private final double bias;

  /** The image tower's identity: name, weights checksum, preprocessing, in that order. */
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
   * ZeroShotClassifier#of(LitModel, List)} does. The model is only used during the call: the caller
   * keeps owning it and may close it once this returns.
   *
   * @param model an open model, whose text tower embeds the prompts and whose image tower's
   *     identity the classified embeddings must match
   * @param labels the class labels in class-index order; canonicalised
   * @return the class side, holding no reference to {@code model}
   * @throws IllegalArgumentException as {@link ZeroShotClassifier#of(LitModel, List)}
   */
  public static ClassMatrix of(LitModel model, List<String> labels) {
    Objects.requireNonNull(model, "model");
    return from(ZeroShotClassifier.of(model, labels), model);
  }

  /**
   * As {@link #of(LitModel, List)} with the given prompt templates.
   *
   * @param model an open model, whose text tower embeds the prompts; the caller keeps owning it
   * @param labels the class labels in class-index order; canonicalised
   * @param templates the prompt templates each label is filled into
   * @return the class side, holding no reference to {@code model}
   * @throws IllegalArgumentException as {@link ZeroShotClassifier#of(LitModel, List)}
   */
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

  /** {@return the canonical labels, in class-index order (an unmodifiable list of {@code K})} */
  public List<String> labels() {
    return List.of(labels);
  }

  /** {@return the embedding dimension {@code D}} */
  public int dimension() {
    return dimension;
  }

  /** {@return the identity of the image tower whose embeddings these classes score} */
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
