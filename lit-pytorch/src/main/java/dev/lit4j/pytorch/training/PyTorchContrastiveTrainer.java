package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDManager;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.loss.LossKind;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LinearHeadImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.plot.TrainingCurves;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.ContrastiveTrainer;
import dev.lit4j.training.EpochPlan;
import dev.lit4j.training.LearningRateSchedule;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingInterruptedException;
import dev.lit4j.training.TrainingPairs;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.training.TrajectoryFingerprint;
import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * LiT-tuning on PyTorch (Zhai et al. 2022): trains a {@link TransformerTextTower} against the
 * pre-computed embeddings of a locked image tower with the softmax (CLIP) or sigmoid (SigLIP, Zhai
 * et al. 2023) contrastive loss. The image tower is never run: it is only named in the model that
 * is written at the end.
 *
 * <p>Each step draws the next batch of the epoch's seeded shuffle (one caption per image, see
 * {@link EpochPlan}), runs {@link ContrastiveStep} (forward, loss, backward, clip, {@link AdamW},
 * temperature clamp), appends a line to the metrics log, advances the progress listener, and writes
 * a checkpoint or evaluates when due. At the end it writes a final checkpoint, evaluates, plots the
 * curves and saves a {@link LitModel} directory.
 *
 * <pre>{@code
 * TrainerConfig config = TrainerConfig.builder(Path.of("run")).batchSize(1024).epochs(10).build();
 * try (PyTorchContrastiveTrainer trainer =
 *     PyTorchContrastiveTrainer.builder(textTower, imageTower, config)
 *         .progress(ConsoleProgressBar.to(System.err))
 *         .build()) {
 *   TrainingResult result = trainer.train(pairs);
 * }
 * }</pre>
 *
 * <p>Devices: by default the step runs where the text tower's parameters live (a tower created on a
 * machine with CUDA lives on GPU 0). {@link Builder#devices} trains data-parallel over several
 * devices with full-batch negatives: each device embeds its share of the batch's captions, and the
 * embeddings of all of them meet in one loss over all {@code B} pairs on the first device.
 * Reproducibility: on the CPU a run resumed from a checkpoint repeats the uninterrupted run's
 * losses bit for bit (with the same devices).
 *
 * <p>Owns its optimiser state and loss scalars; borrows both towers (closing the trainer closes
 * neither). Not thread-safe: one {@link #train} at a time.
 */
public final class PyTorchContrastiveTrainer implements ContrastiveTrainer {
  private final TrainerConfig config;
  private final TransformerTextTower textTower;
  private final ImageTower imageTower;
  private final TrainableTextTower trainable;
  private final TrainingEvaluator evaluator;
  private final ProgressListener progress;
  private final Path resumeFrom;
  private final PromptTemplates templates;
  private final BatchLoss loss;
  private final NDManager manager;
  private boolean closed;

  private PyTorchContrastiveTrainer(Builder b) {
    this.config = b.config;
    this.textTower = b.textTower;
    this.imageTower = b.imageTower;
    this.trainable = b.trainable;
    this.evaluator = new TrainingEvaluator(b.evaluation, b.imageTower);
    this.progress = b.progress;
    this.resumeFrom = b.resumeFrom;
    this.templates = b.templates;
    this.loss = b.loss;
    this.manager = EngineStart.engine().newBaseManager(b.trainable.mainDevice());
  }

  /**
   * Starts a builder.
   *
   * @param textTower the tower to train, in place; borrowed, not closed by the trainer
   * @param imageTower the locked tower whose embeddings the data holds; borrowed and never run,
   *     only recorded in the output model (it must be a {@link dev.lit4j.spi.SavableTower})
   * @param config the run's configuration
   * @return a builder; {@link Builder#build()} makes the trainer
   */
  public static Builder builder(
      TransformerTextTower textTower, ImageTower imageTower, TrainerConfig config) {
    return new Builder(textTower, imageTower, config);
  }

  /**
   * {@return the newest checkpoint in {@code checkpointDirectory}, to pass to {@link
   * Builder#resumeFrom}}
   *
   * @param checkpointDirectory the run's checkpoint directory
   * @throws IOException if the directory cannot be listed
   */
  public static Optional<Path> latestCheckpoint(Path checkpointDirectory) throws IOException {
    return Checkpoint.latest(Objects.requireNonNull(checkpointDirectory, "checkpointDirectory"));
  }

  /**
   * Trains on {@code data} (from the checkpoint given to {@link Builder#resumeFrom}, if any) and
   * writes the model to {@link TrainerConfig#modelDirectory()}.
   *
   * <p>Each step's batch is read from {@code data} by index, the next one on a background thread
   * while the step runs, so the data set is never copied: {@link dev.lit4j.training.StoredPairs}
   * trains from a memory-mapped store with heap use independent of its size, and gives the same
   * losses as the same pairs in memory. Projection-only training ({@link TextTraining#PROJECTION})
   * encodes every distinct caption of in-memory {@link PairedEmbeddings} up front; of other pairs
   * it encodes each caption when a batch first draws it (the same features, so the same losses),
   * and keeps them in the caption-feature cache: {@code W} floats per distinct caption drawn, which
   * for large streamed data sets grows with the steps taken.
   *
   * @throws IllegalArgumentException if {@code data} names an image tower ({@link
   *     TrainingPairs#imageIdentity()}) other than the trainer's (both identities are named;
   *     checked before anything is written), the image dimension differs from the towers', the
   *     batch size exceeds the data set (both named), or the checkpoint was written with a
   *     different configuration (the differing fields are named)
   * @throws NonFiniteLossException if the loss or gradient norm becomes NaN or infinite (the step
   *     is named; the last checkpoint stays intact)
   * @throws IOException if a checkpoint, the log, the plot or the model cannot be written
   * @throws IllegalStateException if the trainer is closed
   * @throws TrainingInterruptedException if the JVM began shutting down (SIGTERM, Ctrl-C): the
   *     trainer finished the step in progress, wrote a checkpoint, printed how to resume from it to
   *     {@code System.err}, and returns before the JVM exits (it holds the shutdown for up to 60
   *     s), so no native code runs while the JVM tears down
   */
  @Override
  public TrainingResult train(TrainingPairs data) throws IOException {
    Objects.requireNonNull(data, "data");
    checkOpen();
    checkImageIdentity(data);
    if (data.dimension() != imageTower.dimension()) {
      throw new IllegalArgumentException(
          "image embeddings have dimension "
              + data.dimension()
              + " but the image tower's is "
              + imageTower.dimension()
              + "; embed the data with this image tower");
    }
    LearningRateSchedule schedule = config.schedule(data.size());
    int total = schedule.totalSteps();
    int perEpoch = data.size() / config.batchSize();
    int b = config.batchSize();
    int d = data.dimension();
    Files.createDirectories(config.outputDirectory());
    // A run killed while writing a checkpoint or the model left staging directories behind.
    AtomicDirectory.removeAbandoned(config.checkpointDirectory());
    AtomicDirectory.removeAbandoned(config.outputDirectory());
    // Outermost, so that a shutdown waits until the step and optimiser have released their memory.
    try (ShutdownStop stop = ShutdownStop.register();
        ContrastiveStep step = new ContrastiveStep(config, trainable, d, loss, manager);
        AdamW adam = AdamW.of(config, manager);
        TrainingRecorder recorder =
            new TrainingRecorder(recorderSpec(), step, adam, total, perEpoch)) {
      int start = resumeFrom == null ? 0 : recorder.resume(resumeFrom);
      if (trainable instanceof ProjectionTrainable projection
          && data instanceof PairedEmbeddings inMemory) {
        // Stops between chunks on shutdown; the loop below then reports the stop. Other pairs
        // are encoded batch by batch: listing their distinct captions would hold them all.
        projection.encodeAll(inMemory.captions(), progress, stop::requested);
      }
      MetricsLog log = recorder.open("LiT-tuning", progress);
      try (BatchFeed feed = new BatchFeed(data, config.seed(), b, perEpoch, start, total)) {
        for (int s = start; s < total; s++) {
          recorder.stopIfRequested(stop, s);
          // The rate counts the wait for the batch too: it is the data path's throughput.
          long t0 = System.nanoTime();
          BatchFeed.Batch batch = feed.next();
          double lr = schedule.rate(s);
          ContrastiveStep.Outcome outcome =
              step.run(batch.images(), batch.captions(), lr, adam, s + 1);
          int done = s + 1;
          recorder.record(done, batch.epoch(), outcome, lr, b / ((System.nanoTime() - t0) / 1e9));
          if (config.evalEvery() > 0 && done % config.evalEvery() == 0 && !evaluator.isEmpty()) {
            log.append(evaluator.evaluate(done, textTower, calibration(step), step.headWeight()));
          }
        }
        recorder.finish();
        boolean evaluatedAtEnd = config.evalEvery() > 0 && total % config.evalEvery() == 0;
        if (!evaluator.isEmpty() && !evaluatedAtEnd) {
          EvaluationMetrics last =
              evaluator.evaluate(total, textTower, calibration(step), step.headWeight());
          log.append(last);
        }
      }
      recorder.close();
      TrainingCurves.write(MetricsLog.read(config.metricsFile()), config.plotFile());
      ScoreCalibration calibration = calibration(step);
      // The model only refers to the borrowed towers; it is not closed because closing a LitModel
      // closes its towers, which belong to the caller.
      ImageTower savedImageTower = withHead(imageTower, step.headWeight());
      (templates == null
              ? LitModel.of(savedImageTower, textTower, calibration)
              : LitModel.of(savedImageTower, textTower, calibration, templates))
          .save(config.modelDirectory());
      return new TrainingResult(total, recorder.lastLoss(), calibration, config.modelDirectory());
    }
  }

  /**
   * Refuses data whose images name another tower than {@link #imageTower}: the model saved at the
   * end would claim a tower that did not compute the embeddings it was trained on.
   */
  private void checkImageIdentity(TrainingPairs data) {
    if (data.imageIdentity().isEmpty()) {
      return;
    }
    TowerIdentity computedBy = data.imageIdentity().get();
    TowerIdentity expected = imageTower.identity();
    if (!computedBy.equals(expected)) {
      throw new IllegalArgumentException(
          "the image embeddings were computed by tower "
              + computedBy.describe()
              + ", but the trainer's image tower is "
              + expected.describe()
              + "; the saved model would claim a tower that did not compute them. Give the"
              + " trainer the tower that built the embeddings, or re-embed the images with this"
              + " one (a new EmbeddingStore); for a WhitenedImageTower, turn the inner tower's"
              + " pairs into its space with pairs.whitened(tower)");
    }
  }

  private ScoreCalibration calibration(ContrastiveStep step) {
    double bias = config.loss() == LossKind.SIGMOID ? step.bias() : 0;
    return new ScoreCalibration(config.loss(), Math.exp(step.logTemperature()), bias);
  }

  /** What this trainer's checkpoints hold (no buffers) and how its user resumes. */
  private TrainingRecorder.Spec recorderSpec() {
    return new TrainingRecorder.Spec(
        config,
        new TrajectoryFingerprint(config.trajectoryFingerprint()),
        List.of(),
        "PyTorchContrastiveTrainer",
        "textTower, imageTower, config");
  }

  /**
   * Returns the image tower the model is made of: the locked tower itself, or the locked tower
   * followed by the trained head. The result is only a view for saving and evaluation and is never
   * closed (that would close the caller's tower).
   */
  static ImageTower withHead(ImageTower imageTower, Optional<FloatMatrix> head) {
    return head.<ImageTower>map(w -> LinearHeadImageTower.of(imageTower, w)).orElse(imageTower);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("PyTorchContrastiveTrainer is closed");
    }
  }

  /** Releases the trainer's own native memory (not the towers); idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  /** Builds a {@link PyTorchContrastiveTrainer}; not thread-safe. */
  public static final class Builder {
    private final TransformerTextTower textTower;
    private final ImageTower imageTower;
    private final TrainerConfig config;
    private EvaluationData evaluation = EvaluationData.NONE;
    private ProgressListener progress = ProgressListener.silent();
    private Path resumeFrom;
    private PromptTemplates templates;
    private CaptionFeatureCache captionCache;
    private List<ComputeDevice> devices;
    private TrainableTextTower trainable;
    private BatchLoss loss;

    private Builder(TransformerTextTower textTower, ImageTower imageTower, TrainerConfig config) {
      this.textTower = Objects.requireNonNull(textTower, "textTower");
      this.imageTower = Objects.requireNonNull(imageTower, "imageTower");
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Sets the held-out data evaluated during and after training (default: none).
     *
     * @param evaluation the held-out data
     * @return this builder
     */
    public Builder evaluation(EvaluationData evaluation) {
      this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
      return this;
    }

    /**
     * Sets who is told about progress (default: silent).
     *
     * @param listener who is told
     * @return this builder
     */
    public Builder progress(ProgressListener listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Resumes from a checkpoint directory (see {@link #latestCheckpoint}); the configuration's
     * trajectory fields must equal the checkpoint's.
     *
     * @param checkpoint a checkpoint directory
     * @return this builder
     */
    public Builder resumeFrom(Path checkpoint) {
      this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /**
     * Shares the locked encoder's pooled outputs with other projection-only runs of the same
     * encoder (default: a cache of this run's own). Only {@link TextTraining#PROJECTION} uses it.
     *
     * @param cache the shared cache
     * @return this builder
     */
    public Builder captionFeatureCache(CaptionFeatureCache cache) {
      this.captionCache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Sets the prompt templates the saved model declares, which {@code ZeroShotClassifier} uses for
     * it unless given others (default: none declared, so classifiers use theirs).
     *
     * @param templates the prompt templates
     * @return this builder
     */
    public Builder promptTemplates(PromptTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * Names the device to train on (default: wherever the text tower's parameters live). The tower
     * must already live there: a {@link TransformerTextTower} is created on the engine's default
     * device, GPU 0 when a CUDA build of libtorch is present, the CPU otherwise.
     *
     * @param device where the tower's parameters live
     * @return this builder
     */
    public Builder device(ComputeDevice device) {
      return devices(List.of(Objects.requireNonNull(device, "device")));
    }

    /**
     * Trains data-parallel over {@code devices} (default: the text tower's device alone), for
     * example {@code devices(ComputeDevice.gpus())}. The first device must be where the text
     * tower's parameters live; it holds the image embeddings, computes the loss and updates the
     * parameters. Each step splits the batch's captions into one contiguous share per device, runs
     * the text tower on each share on its device (on copies of the parameters made for the step),
     * and gathers the {@code [B, D]} text embeddings of all devices onto the first: <em>one</em>
     * loss over all {@code B} pairs, so every caption is a negative for every image whichever
     * device embedded it (not one loss per device). Backward carries each share's gradients home
     * and sums them; the step is otherwise the one-device step, and its loss and gradients equal it
     * to float32 rounding. The loss stays memory-bounded on the first device with {@link
     * TrainerConfig#lossChunkSize()}.
     *
     * <p>A device may be listed more than once; each entry is one replica (several replicas on one
     * device are slower than one, and are how the CPU tests exercise this path).
     *
     * @param devices one or more devices, the first holding the text tower
     * @return this builder
     * @throws IllegalArgumentException if {@code devices} is empty
     */
    public Builder devices(List<ComputeDevice> devices) {
      List<ComputeDevice> copy = List.copyOf(Objects.requireNonNull(devices, "devices"));
      if (copy.isEmpty()) {
        throw new IllegalArgumentException(
            "devices is empty; name at least one, e.g. ComputeDevice.best()");
      }
      this.devices = copy;
      return this;
    }

    /** Replaces the loss implementation; for tests that inject failures. */
    Builder loss(BatchLoss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /**
     * Validates and builds the trainer.
     *
     * @return the trainer; the caller closes it
     * @throws IllegalArgumentException if the towers' dimensions differ or an evaluation set's
     *     image dimension differs from the image tower's (the values are named)
     */
    public PyTorchContrastiveTrainer build() {
      if (textTower.dimension() != imageTower.dimension()) {
        throw new IllegalArgumentException(
            "embedding dimensions differ: image tower = "
                + imageTower.dimension()
                + ", text tower = "
                + textTower.dimension()
                + "; configure the text tower's output dimension to the image tower's");
      }
      if (config.textTraining() == TextTraining.PROJECTION) {
        if (devices != null && devices.size() > 1) {
          throw new IllegalArgumentException(
              "projection-only training (TextTraining.PROJECTION) runs on one device, but "
                  + devices.size()
                  + " were given: "
                  + devices
                  + "; its steps are a few matrix products, so list one device");
        }
        if (devices != null) {
          // Only for its checks: the one device must exist and be where the tower lives.
          TransformerTrainable.onDevices(textTower, devices, config.batchSize());
        }
        trainable =
            new ProjectionTrainable(
                textTower, captionCache != null ? captionCache : CaptionFeatureCache.create());
      } else {
        trainable =
            devices == null
                ? new TransformerTrainable(textTower)
                : TransformerTrainable.onDevices(textTower, devices, config.batchSize());
      }
      evaluation.zeroShot().ifPresent(z -> checkEvalDimension("zero-shot", z.images().dimension()));
      evaluation
          .retrieval()
          .ifPresent(r -> checkEvalDimension("retrieval", r.images().dimension()));
      if (loss == null) {
        loss = BatchLoss.of(config.loss(), config.lossChunkSize());
      }
      return new PyTorchContrastiveTrainer(this);
    }

    private void checkEvalDimension(String which, int dimension) {
      if (dimension != imageTower.dimension()) {
        throw new IllegalArgumentException(
            which
                + " evaluation images have dimension "
                + dimension
                + " but the image tower's is "
                + imageTower.dimension());
      }
    }
  }
}
