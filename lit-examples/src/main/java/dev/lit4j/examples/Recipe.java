package dev.lit4j.examples;

import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.loss.LossKind;
import dev.lit4j.training.TextTraining;
import dev.lit4j.zeroshot.PromptTemplates;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The choices that make LiT-tuning on lit4j's shipped data work, each made on the validation split
 * (never on a held-out set); {@code docs/RESULTS.md} has the table of what each choice measured.
 *
 * <p>Immutable. Start from {@link #DEFAULT} and change fields with {@link #toBuilder()}.
 *
 * @param sources the training sources (see {@code lit-examples/data/*}/SOURCE.md)
 * @param views whether each image's pre-computed augmented views train too
 * @param captions which captions each image trains with, from its source's own captions and
 *     category (the source's folder or emoji sub-group): the training data's own words, never the
 *     held-out labels
 * @param whiteningComponents leading principal directions the image whitening keeps; 0 trains on
 *     the raw locked embeddings
 * @param whiteningEpsilon the whitening's regulariser, relative to the largest eigenvalue
 * @param textTraining which text-tower parameters train
 * @param loss the contrastive loss
 * @param batchSize pairs per step
 * @param epochs passes over the training images
 * @param learningRate the peak learning rate (warmup 5 % of the steps, then cosine to 0)
 * @param weightDecay decoupled weight decay on weight matrices
 * @param temperatureLearningRateFactor the temperature's learning rate relative to the weights'
 * @param templates prompt templates of zero-shot classification, saved with the model
 */
public record Recipe(
    Set<TrainingSource> sources,
    ShippedData.Views views,
    TrainingCaptions.Style captions,
    int whiteningComponents,
    double whiteningEpsilon,
    TextTraining textTraining,
    LossKind loss,
    int batchSize,
    int epochs,
    double learningRate,
    double weightDecay,
    double temperatureLearningRateFactor,
    PromptTemplates templates) {

  /** Prompts for the drawings, emoji and icons the shipped data holds. */
  public static final PromptTemplates DRAWING_TEMPLATES =
      PromptTemplates.of(
          "a drawing of a {}.",
          "clip art of a {}.",
          "an emoji of a {}.",
          "an icon of a {}.",
          "a picture of a {}.",
          "a cartoon {}.",
          "{}");

  /** The recipe of the main job and of the default model. */
  public static final Recipe DEFAULT =
      new Recipe(
          EnumSet.allOf(TrainingSource.class),
          ShippedData.Views.INCLUDED,
          TrainingCaptions.Style.PROMPT_FORM,
          576,
          0.01,
          TextTraining.PROJECTION,
          LossKind.SOFTMAX,
          256,
          5,
          3e-3,
          1e-4,
          1,
          PromptTemplates.SIMPLE_7);

  /**
   * @throws IllegalArgumentException if there is no source, or a number is out of range (named)
   */
  public Recipe {
    sources = Set.copyOf(Objects.requireNonNull(sources, "sources"));
    Objects.requireNonNull(views, "views");
    Objects.requireNonNull(captions, "captions");
    Objects.requireNonNull(textTraining, "textTraining");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(templates, "templates");
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(
          "a recipe needs at least one training source, e.g. " + TrainingSource.OPENCLIPART);
    }
    if (whiteningComponents < 0) {
      throw new IllegalArgumentException(
          "whiteningComponents must be 0 (off) or positive, got " + whiteningComponents);
    }
    if (!(whiteningEpsilon > 0) || !Double.isFinite(whiteningEpsilon)) {
      throw new IllegalArgumentException(
          "whiteningEpsilon must be a positive finite number, got " + whiteningEpsilon);
    }
    if (epochs < 1 || batchSize < 2) {
      throw new IllegalArgumentException(
          "need epochs >= 1 and batchSize >= 2, got " + epochs + " and " + batchSize);
    }
  }

  /** Returns a builder holding this recipe's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some fields of a recipe; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private Set<TrainingSource> sources;
    private ShippedData.Views views;
    private TrainingCaptions.Style captions;
    private int whiteningComponents;
    private double whiteningEpsilon;
    private TextTraining textTraining;
    private LossKind loss;
    private int batchSize;
    private int epochs;
    private double learningRate;
    private double weightDecay;
    private double temperatureLearningRateFactor;
    private PromptTemplates templates;

    private Builder(Recipe r) {
      sources = r.sources;
      views = r.views;
      captions = r.captions;
      whiteningComponents = r.whiteningComponents;
      whiteningEpsilon = r.whiteningEpsilon;
      textTraining = r.textTraining;
      loss = r.loss;
      batchSize = r.batchSize;
      epochs = r.epochs;
      learningRate = r.learningRate;
      weightDecay = r.weightDecay;
      temperatureLearningRateFactor = r.temperatureLearningRateFactor;
      templates = r.templates;
    }

    /** Sets the training sources. */
    public Builder sources(Set<TrainingSource> value) {
      sources = value;
      return this;
    }

    /** Sets whether augmented views train. */
    public Builder views(ShippedData.Views value) {
      views = value;
      return this;
    }

    /** Sets which captions each image trains with. */
    public Builder captions(TrainingCaptions.Style value) {
      captions = value;
      return this;
    }

    /** Sets the whitening: components kept (0 = off) and regulariser. */
    public Builder whitening(int components, double epsilon) {
      whiteningComponents = components;
      whiteningEpsilon = epsilon;
      return this;
    }

    /** Sets which text-tower parameters train. */
    public Builder textTraining(TextTraining value) {
      textTraining = value;
      return this;
    }

    /** Sets the loss. */
    public Builder loss(LossKind value) {
      loss = value;
      return this;
    }

    /** Sets the batch size. */
    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    /** Sets the number of epochs. */
    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    /** Sets the peak learning rate. */
    public Builder learningRate(double value) {
      learningRate = value;
      return this;
    }

    /** Sets the weight decay. */
    public Builder weightDecay(double value) {
      weightDecay = value;
      return this;
    }

    /** Sets the temperature's learning-rate factor. */
    public Builder temperatureLearningRateFactor(double value) {
      temperatureLearningRateFactor = value;
      return this;
    }

    /** Sets the prompt templates. */
    public Builder templates(PromptTemplates value) {
      templates = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException as {@link Recipe#Recipe}
     */
    public Recipe build() {
      return new Recipe(
          sources,
          views,
          captions,
          whiteningComponents,
          whiteningEpsilon,
          textTraining,
          loss,
          batchSize,
          epochs,
          learningRate,
          weightDecay,
          temperatureLearningRateFactor,
          templates);
    }
  }
}
