package dev.lit4j.training;

import dev.lit4j.loss.LossKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The hyper-parameters and outputs of a LiT-tuning run. Build with {@link #builder(Path)}; every
 * value is validated by {@link Builder#build()}, which names any bad value.
 *
 * <p>Defaults follow big_vision's LiT/SigLIP configurations and open_clip (sources in {@code
 * docs/DEFAULTS.md}): Adam(W) with {@code lr = 1e-3}, decoupled weight decay on weight matrices
 * only, linear warmup for {@code max(3 % of steps, 100)} steps (capped at the run length) then
 * cosine decay to 0, gradient clipping at global norm 1, temperature initialised to 10 and clamped
 * at 100, sigmoid bias initialised to −10.
 *
 * <p>Immutable and thread-safe.
 *
 * @param loss the contrastive loss
 * @param batchSize image–caption pairs per step, {@code B}
 * @param length how long to train
 * @param learningRate the peak learning rate
 * @param weightDecay decoupled weight decay {@code λ}: each step multiplies weight matrices by
 *     {@code 1 − lr·λ} (not biases, norm gains, temperature or bias)
 * @param warmupSteps linear warmup steps; empty for the default {@code min(max(⌊0.03·T⌋, 100), T)}
 * @param adamBeta1 Adam's first-moment decay {@code β₁}
 * @param adamBeta2 Adam's second-moment decay {@code β₂}
 * @param adamEpsilon Adam's {@code ε}
 * @param gradientClipNorm the maximum global L2 norm of all gradients; {@code +∞} disables clipping
 * @param initialTemperature the initial logit scale {@code t} (stored and trained as {@code log t})
 * @param maxTemperature the clamp on {@code t} after every step
 * @param initialBias the initial sigmoid bias {@code b}; ignored (and not trained) for softmax
 * @param lossChunkSize rows per chunk of the memory-bounded loss; 0 computes the full {@code B × B}
 *     logits at once
 * @param imageHead whether a trainable linear head maps the image embeddings
 * @param textTraining which parameters of the text tower train
 * @param temperatureLearningRateFactor multiplies the learning rate of the log-temperature and the
 *     sigmoid bias (their parameter group): two scalars that start far from where training takes
 *     them and move too slowly at a rate suited to weight matrices
 * @param seed seeds the data order, caption sampling, parameter initialisation and dropout
 * @param checkpointEvery steps between checkpoints; 0 writes only the final one
 * @param evalEvery steps between evaluations; 0 evaluates only at the end (when an evaluation set
 *     is given)
 * @param outputDirectory where the run writes its model, checkpoints, metrics and plot
 * @param checkpointDirectory where checkpoints go (default {@code outputDirectory/checkpoints})
 */
public record TrainerConfig(
    LossKind loss,
    int batchSize,
    TrainingLength length,
    double learningRate,
    double weightDecay,
    OptionalInt warmupSteps,
    double adamBeta1,
    double adamBeta2,
    double adamEpsilon,
    double gradientClipNorm,
    double initialTemperature,
    double maxTemperature,
    double initialBias,
    int lossChunkSize,
    ImageHead imageHead,
    TextTraining textTraining,
    double temperatureLearningRateFactor,
    long seed,
    int checkpointEvery,
    int evalEvery,
    Path outputDirectory,
    Path checkpointDirectory) {

  /** Minimum default warmup, in steps (big_vision). */
  public static final int MIN_DEFAULT_WARMUP = 100;

  /** Fraction of the run used for warmup by default (big_vision). */
  public static final double DEFAULT_WARMUP_FRACTION = 0.03;

  /**
   * @param loss the contrastive loss
   * @param batchSize image–caption pairs per step, {@code B}
   * @param length how long to train
   * @param learningRate the peak learning rate
   * @param weightDecay decoupled weight decay {@code λ}: each step multiplies weight matrices by
   *     {@code 1 − lr·λ} (not biases, norm gains, temperature or bias)
   * @param warmupSteps linear warmup steps; empty for the default {@code min(max(⌊0.03·T⌋, 100),
   *     T)}
   * @param adamBeta1 Adam's first-moment decay {@code β₁}
   * @param adamBeta2 Adam's second-moment decay {@code β₂}
   * @param adamEpsilon Adam's {@code ε}
   * @param gradientClipNorm the maximum global L2 norm of all gradients; {@code +∞} disables
   *     clipping
   * @param initialTemperature the initial logit scale {@code t} (stored and trained as {@code log
   *     t})
   * @param maxTemperature the clamp on {@code t} after every step
   * @param initialBias the initial sigmoid bias {@code b}; ignored (and not trained) for softmax
   * @param lossChunkSize rows per chunk of the memory-bounded loss; 0 computes the full {@code B ×
   *     B} logits at once
   * @param imageHead whether a trainable linear head maps the image embeddings
   * @param textTraining which parameters of the text tower train
   * @param temperatureLearningRateFactor multiplies the learning rate of the log-temperature and
   *     the sigmoid bias (their parameter group): two scalars that start far from where training
   *     takes them and move too slowly at a rate suited to weight matrices
   * @param seed seeds the data order, caption sampling, parameter initialisation and dropout
   * @param checkpointEvery steps between checkpoints; 0 writes only the final one
   * @param evalEvery steps between evaluations; 0 evaluates only at the end (when an evaluation set
   *     is given)
   * @param outputDirectory where the run writes its model, checkpoints, metrics and plot
   * @param checkpointDirectory where checkpoints go (default {@code outputDirectory/checkpoints})
   * @throws IllegalArgumentException if a value is out of range (see {@link Builder#build()})
   */
  public TrainerConfig {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(warmupSteps, "warmupSteps");
    Objects.requireNonNull(imageHead, "imageHead");
    Objects.requireNonNull(textTraining, "textTraining");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
    List<String> problems = new ArrayList<>();
    if (batchSize < 2) {
      problems.add(
          "batchSize must be at least 2 (a contrastive batch needs negatives), got " + batchSize);
    }
    positive(problems, "learningRate", learningRate);
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      problems.add("weightDecay must be >= 0 and finite, got " + weightDecay);
    }
    if (!(temperatureLearningRateFactor > 0) || !Double.isFinite(temperatureLearningRateFactor)) {
      problems.add(
          "temperatureLearningRateFactor must be positive and finite, got "
              + temperatureLearningRateFactor);
    }
    if (warmupSteps.isPresent() && warmupSteps.getAsInt() < 0) {
      problems.add("warmupSteps must be >= 0, got " + warmupSteps.getAsInt());
    }
    if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
      problems.add("adamBeta1 must be in [0, 1), got " + adamBeta1);
    }
    if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
      problems.add("adamBeta2 must be in [0, 1), got " + adamBeta2);
    }
    positive(problems, "adamEpsilon", adamEpsilon);
    if (!(gradientClipNorm > 0)) {
      problems.add(
          "gradientClipNorm must be > 0 (use +Infinity to disable), got " + gradientClipNorm);
    }
    positive(problems, "initialTemperature", initialTemperature);
    positive(problems, "maxTemperature", maxTemperature);
    if (initialTemperature > maxTemperature) {
      problems.add(
          "initialTemperature "
              + initialTemperature
              + " exceeds maxTemperature "
              + maxTemperature
              + "; raise maxTemperature or lower initialTemperature");
    }
    if (!Double.isFinite(initialBias)) {
      problems.add("initialBias must be finite, got " + initialBias);
    }
    if (lossChunkSize < 0) {
      problems.add("lossChunkSize must be >= 0 (0 = unchunked), got " + lossChunkSize);
    }
    if (checkpointEvery < 0) {
      problems.add(
          "checkpointEvery must be >= 0 (0 = final checkpoint only), got " + checkpointEvery);
    }
    if (evalEvery < 0) {
      problems.add("evalEvery must be >= 0 (0 = evaluate at the end only), got " + evalEvery);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid trainer configuration: " + String.join("; ", problems));
    }
  }

  private static void positive(List<String> problems, String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      problems.add(name + " must be positive and finite, got " + value);
    }
  }

  /**
   * Starts a builder with the defaults; the run writes into {@code outputDirectory}.
   *
   * @param outputDirectory where the model, logs and checkpoints go
   * @return a builder holding the defaults
   * @throws NullPointerException if {@code outputDirectory} is null
   */
  public static Builder builder(Path outputDirectory) {
    return new Builder(outputDirectory);
  }

  /** {@return a builder holding this configuration's values} */
  public Builder toBuilder() {
    Builder b = new Builder(outputDirectory);
    b.loss = loss;
    b.batchSize = batchSize;
    b.length = length;
    b.learningRate = learningRate;
    b.weightDecay = weightDecay;
    b.warmupSteps = warmupSteps;
    b.adamBeta1 = adamBeta1;
    b.adamBeta2 = adamBeta2;
    b.adamEpsilon = adamEpsilon;
    b.gradientClipNorm = gradientClipNorm;
    b.initialTemperature = initialTemperature;
    b.maxTemperature = maxTemperature;
    b.initialBias = initialBias;
    b.lossChunkSize = lossChunkSize;
    b.imageHead = imageHead;
    b.textTraining = textTraining;
    b.temperatureLearningRateFactor = temperatureLearningRateFactor;
    b.seed = seed;
    b.checkpointEvery = checkpointEvery;
    b.evalEvery = evalEvery;
    b.checkpointDirectory = checkpointDirectory;
    return b;
  }

  /** {@return {@code outputDirectory/model}, where the trained {@code LitModel} is written} */
  public Path modelDirectory() {
    return outputDirectory.resolve("model");
  }

  /** {@return {@code outputDirectory/metrics.jsonl}, the metrics log} */
  public Path metricsFile() {
    return outputDirectory.resolve("metrics.jsonl");
  }

  /** {@return {@code outputDirectory/curves.png}, the plot of the training curves} */
  public Path plotFile() {
    return outputDirectory.resolve("curves.png");
  }

  /**
   * {@return the number of optimiser steps for a data set of {@code datasetSize} images}
   *
   * @param datasetSize the number of images
   * @throws IllegalArgumentException if the batch size exceeds the data set (both are named)
   */
  public int totalSteps(int datasetSize) {
    if (batchSize > datasetSize) {
      throw new IllegalArgumentException(
          "batch size "
              + batchSize
              + " exceeds the data set size "
              + datasetSize
              + "; lower the batch size or add data");
    }
    return length.totalSteps(datasetSize / batchSize);
  }

  /**
   * {@return the warmup for a run of {@code totalSteps}: the configured value capped at the run}
   *
   * @param totalSteps the run's length in steps
   */
  public int resolvedWarmupSteps(int totalSteps) {
    int w =
        warmupSteps.orElse(
            Math.max((int) (DEFAULT_WARMUP_FRACTION * totalSteps), MIN_DEFAULT_WARMUP));
    return Math.min(w, totalSteps);
  }

  /**
   * {@return the learning-rate schedule for a data set of {@code datasetSize} images}
   *
   * @param datasetSize the number of images
   * @throws IllegalArgumentException if the batch size exceeds the data set (both are named)
   */
  public LearningRateSchedule schedule(int datasetSize) {
    int total = totalSteps(datasetSize);
    return new LearningRateSchedule(learningRate, resolvedWarmupSteps(total), total);
  }

  /**
   * {@return the values that determine the training trajectory, by name, as exact strings (doubles
   * in {@link Double#toString} form, which round-trips)} Output locations, checkpoint and
   * evaluation intervals are left out: changing them does not change the loss curve, so a run may
   * be resumed with different ones.
   */
  public Map<String, String> trajectoryFingerprint() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("loss", loss.name());
    m.put("batchSize", Integer.toString(batchSize));
    m.put("length", length.toString());
    m.put("learningRate", Double.toString(learningRate));
    m.put("weightDecay", Double.toString(weightDecay));
    m.put(
        "warmupSteps",
        warmupSteps.isPresent() ? Integer.toString(warmupSteps.getAsInt()) : "default");
    m.put("adamBeta1", Double.toString(adamBeta1));
    m.put("adamBeta2", Double.toString(adamBeta2));
    m.put("adamEpsilon", Double.toString(adamEpsilon));
    m.put("gradientClipNorm", Double.toString(gradientClipNorm));
    m.put("initialTemperature", Double.toString(initialTemperature));
    m.put("maxTemperature", Double.toString(maxTemperature));
    m.put("initialBias", Double.toString(initialBias));
    m.put("lossChunkSize", Integer.toString(lossChunkSize));
    m.put("imageHead", imageHead.name());
    if (textTraining != TextTraining.FULL) {
      // Absent for FULL, so checkpoints written before this field existed still resume.
      m.put("textTraining", textTraining.name());
    }
    if (temperatureLearningRateFactor != 1) {
      // Absent at its default, so checkpoints written before this field existed still resume.
      m.put("temperatureLearningRateFactor", Double.toString(temperatureLearningRateFactor));
    }
    m.put("seed", Long.toString(seed));
    return m;
  }

  /** {@return the SHA-256 (hex) of {@link #trajectoryFingerprint()}} */
  public String fingerprintHash() {
    return new TrajectoryFingerprint(trajectoryFingerprint()).sha256();
  }

  /**
   * Lists the fields whose value differs from {@code other} (a fingerprint saved with a
   * checkpoint), as {@code "name: saved → this"}; empty when they agree.
   *
   * @param other a fingerprint from {@link #trajectoryFingerprint()}
   * @return one line per differing field
   * @see TrajectoryFingerprint#differencesFrom
   */
  public List<String> differencesFrom(Map<String, String> other) {
    return new TrajectoryFingerprint(trajectoryFingerprint()).differencesFrom(other);
  }

  /**
   * Builds a {@link TrainerConfig}; not thread-safe. Each setter records a value; {@link #build()}
   * validates them all and reports every bad one in one message.
   */
  public static final class Builder {
    private final Path outputDirectory;
    private LossKind loss = LossKind.SOFTMAX;
    private int batchSize = 256;
    private TrainingLength length = TrainingLength.epochs(1);
    private double learningRate = 1e-3;
    private double weightDecay = 1e-4;
    private OptionalInt warmupSteps = OptionalInt.empty();
    private double adamBeta1 = 0.9;
    private double adamBeta2 = 0.999;
    private double adamEpsilon = 1e-8;
    private double gradientClipNorm = 1.0;
    private double initialTemperature = 10;
    private double maxTemperature = 100;
    private double initialBias = -10;
    private int lossChunkSize;
    private ImageHead imageHead = ImageHead.NONE;
    private TextTraining textTraining = TextTraining.FULL;
    private double temperatureLearningRateFactor = 1;
    private long seed;
    private int checkpointEvery;
    private int evalEvery;
    private Path checkpointDirectory;

    private Builder(Path outputDirectory) {
      this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /**
     * Sets the loss (default {@link LossKind#SOFTMAX}).
     *
     * @param loss the contrastive loss
     * @return this builder
     */
    public Builder loss(LossKind loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /**
     * Sets the batch size (default 256).
     *
     * @param batchSize image–caption pairs per step, at least 2
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Trains for {@code epochs} epochs (default 1 epoch).
     *
     * @param epochs passes over the data, at least 1
     * @return this builder
     */
    public Builder epochs(int epochs) {
      this.length = TrainingLength.epochs(epochs);
      return this;
    }

    /**
     * Trains for {@code steps} optimiser steps.
     *
     * @param steps optimiser steps, at least 1
     * @return this builder
     */
    public Builder steps(int steps) {
      this.length = TrainingLength.steps(steps);
      return this;
    }

    /**
     * Trains for {@code length}, in epochs or steps.
     *
     * @param length the run's length
     * @return this builder
     */
    public Builder length(TrainingLength length) {
      this.length = Objects.requireNonNull(length, "length");
      return this;
    }

    /**
     * Sets the peak learning rate (default {@code 1e-3}).
     *
     * @param learningRate the peak learning rate, positive
     * @return this builder
     */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Sets the decoupled weight decay (default {@code 1e-4}).
     *
     * @param weightDecay {@code λ}, non-negative
     * @return this builder
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Sets the warmup steps (default {@code min(max(⌊0.03·T⌋, 100), T)}).
     *
     * @param warmupSteps linear warmup steps, non-negative
     * @return this builder
     */
    public Builder warmupSteps(int warmupSteps) {
      this.warmupSteps = OptionalInt.of(warmupSteps);
      return this;
    }

    /**
     * Sets Adam's {@code β₁, β₂, ε} (default 0.9, 0.999, 1e-8).
     *
     * @param beta1 {@code β₁}, in {@code [0, 1)}
     * @param beta2 {@code β₂}, in {@code [0, 1)}
     * @param epsilon {@code ε}, positive
     * @return this builder
     */
    public Builder adam(double beta1, double beta2, double epsilon) {
      this.adamBeta1 = beta1;
      this.adamBeta2 = beta2;
      this.adamEpsilon = epsilon;
      return this;
    }

    /**
     * Sets the global gradient-norm clip (default 1; {@code +∞} disables).
     *
     * @param norm the largest global L2 norm of the gradients
     * @return this builder
     */
    public Builder gradientClipNorm(double norm) {
      this.gradientClipNorm = norm;
      return this;
    }

    /**
     * Sets the initial temperature (default 10) and its clamp (default 100).
     *
     * @param initial the initial temperature
     * @param max the clamp, at least {@code initial}
     * @return this builder
     */
    public Builder temperature(double initial, double max) {
      this.initialTemperature = initial;
      this.maxTemperature = max;
      return this;
    }

    /**
     * Sets the initial sigmoid bias (default −10).
     *
     * @param bias the initial bias
     * @return this builder
     */
    public Builder initialBias(double bias) {
      this.initialBias = bias;
      return this;
    }

    /**
     * Sets the loss chunk size (default 0: unchunked).
     *
     * @param rows rows per chunk of the loss; 0 for the full logit matrix
     * @return this builder
     */
    public Builder lossChunkSize(int rows) {
      this.lossChunkSize = rows;
      return this;
    }

    /**
     * Sets the image head (default {@link ImageHead#NONE}).
     *
     * @param head the trainable head on the image embeddings, if any
     * @return this builder
     */
    public Builder imageHead(ImageHead head) {
      this.imageHead = Objects.requireNonNull(head, "head");
      return this;
    }

    /**
     * Sets which parameters of the text tower train (default {@link TextTraining#FULL}).
     *
     * @param textTraining which parameters train
     * @return this builder
     */
    public Builder textTraining(TextTraining textTraining) {
      this.textTraining = Objects.requireNonNull(textTraining, "textTraining");
      return this;
    }

    /**
     * Sets the factor on the learning rate of the log-temperature and the sigmoid bias (default 1:
     * the schedule's rate, as big_vision).
     *
     * @param factor the factor, positive
     * @return this builder
     */
    public Builder temperatureLearningRateFactor(double factor) {
      this.temperatureLearningRateFactor = factor;
      return this;
    }

    /**
     * Sets the seed (default 0).
     *
     * @param seed the seed of initialisation, shuffling and caption choice
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the steps between checkpoints (default 0: final checkpoint only).
     *
     * @param steps steps between checkpoints; 0 for the final one only
     * @return this builder
     */
    public Builder checkpointEvery(int steps) {
      this.checkpointEvery = steps;
      return this;
    }

    /**
     * Sets where checkpoints go (default {@code outputDirectory/checkpoints}).
     *
     * @param directory the checkpoint directory
     * @return this builder
     */
    public Builder checkpointDirectory(Path directory) {
      this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Sets the steps between evaluations (default 0: at the end only).
     *
     * @param steps steps between evaluations; 0 for the end only
     * @return this builder
     */
    public Builder evalEvery(int steps) {
      this.evalEvery = steps;
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming every bad value and the rule it breaks
     */
    public TrainerConfig build() {
      return new TrainerConfig(
          loss,
          batchSize,
          length,
          learningRate,
          weightDecay,
          warmupSteps,
          adamBeta1,
          adamBeta2,
          adamEpsilon,
          gradientClipNorm,
          initialTemperature,
          maxTemperature,
          initialBias,
          lossChunkSize,
          imageHead,
          textTraining,
          temperatureLearningRateFactor,
          seed,
          checkpointEvery,
          evalEvery,
          outputDirectory,
          checkpointDirectory != null
              ? checkpointDirectory
              : outputDirectory.resolve("checkpoints"));
    }
  }
}
