package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.image.ImageReadException;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.loss.LossKind;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.plot.TrainingCurves;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.keras.ForwardMode;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.EpochPlan;
import dev.lit4j.training.LearningRateSchedule;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingInterruptedException;
import dev.lit4j.training.TrainingPairs;
import dev.lit4j.training.TrajectoryFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Contrastive training from raw images, for the image-tower ablation of LiT (Zhai et al. 2022,
 * §4.2, Table 1: {@code Lu} locked pre-trained, {@code Uu} unlocked pre-trained, {@code uu} from
 * scratch): a {@link TrainableMobileNetV2} runs on each batch's decoded images, locked or trained
 * ({@link ImageTraining}), against a {@link TransformerTextTower} trained per {@link
 * TrainerConfig#textTraining()}.
 *
 * <p>A step is {@link PyTorchContrastiveTrainer}'s with the image tower in front of it: the batch
 * of the epoch's seeded shuffle with one caption drawn per image ({@link EpochPlan}, the same order
 * for the same seed and data size), its images read and preprocessed at the trainer's resolution
 * ({@link TrainableMobileNetV2#preprocessing(int)}), the image forward pass, then the same {@link
 * ContrastiveStep}: text forward, the same loss kernel, backward, global-norm clipping over every
 * trained tensor (text tower, {@code log t}, {@code b}, optional head and, unlocked, the image
 * tower), {@link AdamW} with the configuration's hyper-parameters and rank-≥-2 weight decay (image
 * kernels decay, batch-norm gains and shifts do not), the configuration's schedule, and the clamp
 * {@code log t ≤ log t_max}.
 *
 * <p>{@link ImageTraining#LOCKED} runs the tower in inference mode outside any gradient collector
 * and hands its embeddings to the step as {@link PyTorchContrastiveTrainer} hands pre-computed
 * ones: the tower's weights and moving statistics stay bit-identical. That trainer, on embeddings
 * computed once, is the fast way to train a locked tower; this one re-embeds every image every
 * epoch and exists so that the locked arm of the ablation runs the same code path as the others.
 *
 * <p>Outputs and stops are {@link PyTorchContrastiveTrainer}'s: each step appends a line to {@link
 * TrainerConfig#metricsFile()} and advances the progress listener; a checkpoint is written every
 * {@link TrainerConfig#checkpointEvery()} steps and at the end ({@link Checkpoint}: every trained
 * tensor, the optimiser's moments and, unlocked, the image tower's batch-norm moving statistics),
 * the curves are plotted to {@link TrainerConfig#plotFile()}, and a JVM shutdown stops the run at
 * the next step boundary with a checkpoint. {@link Builder#resumeFrom} continues a run; on the CPU
 * the resumed run repeats the uninterrupted one's losses bit for bit. The checkpoint's fingerprint
 * holds the image settings ({@code image.training}, {@code image.resolution}, {@code image.init},
 * {@code image.seed}, {@code image.layer}, {@code image.batchNormMomentum}) after the
 * configuration's, so a run resumes only with the settings it started with.
 *
 * <p>Deviations from the reference implementation (big_vision): one learning rate and schedule for
 * both towers; no data augmentation (each image is squashed to the resolution); images are decoded
 * on the training thread. Not done here: evaluation during training and saving a {@code LitModel}
 * (the trained image tower is not a savable tower); the caller evaluates the towers it passed in.
 *
 * <pre>{@code
 * TrainerConfig config = TrainerConfig.builder(Path.of("run")).batchSize(32).steps(1000).build();
 * try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
 *     RawImageTrainer trainer =
 *         RawImageTrainer.builder(image, textTower, config, ImageTraining.UNLOCKED, 112)
 *             .progress(ConsoleProgressBar.to(System.err))
 *             .build()) {
 *   RawImageTrainingResult result = trainer.train(ImageCaptionPairs.ofFiles(files, captions));
 * }
 * }</pre>
 *
 * <p>Owns its optimiser state and loss scalars; borrows both towers, which it updates in place
 * (closing the trainer closes neither). Not thread-safe: one {@link #train} at a time, and neither
 * tower used elsewhere meanwhile.
 */
public final class RawImageTrainer implements AutoCloseable {
  /** Prefix of the image tower's parameter names among the step's trainable tensors. */
  static final String IMAGE_PREFIX = "image_tower/";

  private final TrainableMobileNetV2 imageTower;
  private final TrainerConfig config;
  private final ImageTraining imageTraining;
  private final int resolution;
  private final ImagePreprocessing preprocessing;
  private final TrainableTextTower trainable;
  private final ProgressListener progress;
  private final Path resumeFrom;
  private final BatchLoss loss;
  private final NDManager manager;
  private boolean closed;

  private RawImageTrainer(Builder b, TrainableTextTower trainable) {
    this.imageTower = b.imageTower;
    this.config = b.config;
    this.imageTraining = b.imageTraining;
    this.resolution = b.resolution;
    this.preprocessing = TrainableMobileNetV2.preprocessing(b.resolution);
    this.trainable = trainable;
    this.progress = b.progress;
    this.resumeFrom = b.resumeFrom;
    this.loss = BatchLoss.of(config.loss(), config.lossChunkSize());
    this.manager = EngineStart.engine().newBaseManager(trainable.mainDevice());
  }

  /**
   * Makes a trainer that starts a new run and reports no progress; {@link #builder} for more.
   *
   * @param imageTower the image tower; borrowed, updated in place when {@link
   *     ImageTraining#UNLOCKED}, not closed by the trainer
   * @param textTower the text tower, trained in place per {@link TrainerConfig#textTraining()};
   *     borrowed, not closed by the trainer
   * @param config batch size, length, loss, optimiser, schedule, temperature and seed
   * @param imageTraining whether the image tower trains
   * @param resolution the side in pixels the images are squashed to, at least {@value
   *     TrainableMobileNetV2#MIN_RESOLUTION} (e.g. 96 to 224; 224 is the locked tower's)
   * @return the trainer; the caller closes it
   * @throws IllegalArgumentException if the towers' dimensions differ, the resolution is out of
   *     range, or the towers' parameters live on different devices (the values are named)
   * @throws IllegalStateException if a tower is closed
   */
  public static RawImageTrainer of(
      TrainableMobileNetV2 imageTower,
      TransformerTextTower textTower,
      TrainerConfig config,
      ImageTraining imageTraining,
      int resolution) {
    return builder(imageTower, textTower, config, imageTraining, resolution).build();
  }

  /**
   * Starts a builder; the arguments are those of {@link #of}.
   *
   * @param imageTower the image tower; borrowed, updated in place when {@link
   *     ImageTraining#UNLOCKED}, not closed by the trainer
   * @param textTower the text tower, trained in place per {@link TrainerConfig#textTraining()};
   *     borrowed, not closed by the trainer
   * @param config batch size, length, loss, optimiser, schedule, temperature, seed and outputs
   * @param imageTraining whether the image tower trains
   * @param resolution the side in pixels the images are squashed to
   * @return a builder; {@link Builder#build()} checks the arguments and makes the trainer
   */
  public static Builder builder(
      TrainableMobileNetV2 imageTower,
      TransformerTextTower textTower,
      TrainerConfig config,
      ImageTraining imageTraining,
      int resolution) {
    return new Builder(imageTower, textTower, config, imageTraining, resolution);
  }

  /**
   * {@return the newest checkpoint in {@code checkpointDirectory}, to pass to {@link
   * Builder#resumeFrom}}
   *
   * @param checkpointDirectory the run's checkpoint directory ({@link
   *     TrainerConfig#checkpointDirectory()})
   * @throws IOException if the directory cannot be listed
   */
  public static Optional<Path> latestCheckpoint(Path checkpointDirectory) throws IOException {
    return Checkpoint.latest(Objects.requireNonNull(checkpointDirectory, "checkpointDirectory"));
  }

  /** {@return whether the image tower trains} */
  public ImageTraining imageTraining() {
    return imageTraining;
  }

  /** {@return the side in pixels the images are squashed to} */
  public int resolution() {
    return resolution;
  }

  /**
   * Trains both towers in place (the image tower only when {@link ImageTraining#UNLOCKED}) for the
   * configuration's length on {@code data}, from the checkpoint given to {@link Builder#resumeFrom}
   * if any, writing the metrics log, the checkpoints and the plot.
   *
   * @param data the images and their captions
   * @return the run's steps, each step's loss (those before a resume read back from the metrics
   *     log) and the final temperature and bias
   * @throws IllegalArgumentException if the batch size exceeds the number of images (both named),
   *     or the checkpoint to resume from was written with other settings (each differing one
   *     named), for another run length or for other towers
   * @throws ImageReadException if an image file is missing (checked for every file before the first
   *     step) or cannot be decoded when its batch is drawn (the path and the reason are named)
   * @throws IOException if an image file cannot be read otherwise, or a checkpoint, the log or the
   *     plot cannot be written
   * @throws NonFiniteLossException if the loss or the gradient norm becomes NaN or infinite (the
   *     step is named); the parameters keep their values from before that step, but an unlocked
   *     tower's moving statistics have seen the step's batch; the last checkpoint stays intact
   * @throws TrainingInterruptedException if the JVM began shutting down (SIGTERM, Ctrl-C): the step
   *     in progress finished, a checkpoint was written and how to resume from it was printed to
   *     {@code System.err}
   * @throws IllegalStateException if the trainer or a tower is closed
   */
  public RawImageTrainingResult train(ImageCaptionPairs data) throws IOException {
    Objects.requireNonNull(data, "data");
    checkOpen();
    int b = config.batchSize();
    if (b > data.size()) {
      throw new IllegalArgumentException(
          "batch size "
              + b
              + " exceeds the "
              + data.size()
              + " images of the data; lower TrainerConfig.batchSize to at most "
              + data.size()
              + " or add images");
    }
    checkFilesExist(data);
    TrainingPairs captionsOnly = new CaptionsOnly(data);
    LearningRateSchedule schedule = config.schedule(data.size());
    int total = schedule.totalSteps();
    int perEpoch = data.size() / b;
    Files.createDirectories(config.outputDirectory());
    // A run killed while writing a checkpoint left its staging directory behind.
    AtomicDirectory.removeAbandoned(config.checkpointDirectory());
    // Outermost, so that a shutdown waits until the step and optimiser have released their memory.
    try (ShutdownStop stop = ShutdownStop.register();
        ContrastiveStep step =
            new ContrastiveStep(
                config, trainable, imageTower.dimension(), imageParameters(), loss, manager);
        AdamW adam = AdamW.of(config, manager);
        TrainingRecorder recorder =
            new TrainingRecorder(recorderSpec(), step, adam, total, perEpoch)) {
      int start = resumeFrom == null ? 0 : recorder.resume(resumeFrom);
      recorder.open("Raw-image training", progress);
      EpochPlan plan = null;
      int planEpoch = -1;
      for (int s = start; s < total; s++) {
        recorder.stopIfRequested(stop, s);
        // The rate counts reading and decoding the images too: it is the run's throughput.
        long t0 = System.nanoTime();
        int epoch = s / perEpoch;
        if (epoch != planEpoch) {
          plan = EpochPlan.of(config.seed(), epoch, captionsOnly);
          planEpoch = epoch;
        }
        EpochPlan.Batch batch = plan.batch(s % perEpoch, b);
        float[] pixels = pixels(data, batch.imageIndices());
        Shape shape = new Shape(b, 3, resolution, resolution);
        double lr = schedule.rate(s);
        ContrastiveStep.Outcome outcome =
            imageTraining == ImageTraining.LOCKED
                ? step.run(lockedEmbeddings(pixels, shape), batch.captions(), lr, adam, s + 1)
                : step.run(
                    scope -> imageTower.forward(scope.create(pixels, shape), ForwardMode.TRAINING),
                    batch.captions(),
                    lr,
                    adam,
                    s + 1);
        recorder.record(s + 1, epoch, outcome, lr, b / ((System.nanoTime() - t0) / 1e9));
      }
      recorder.finish();
      recorder.close();
      MetricsLog.Entries entries = MetricsLog.read(config.metricsFile());
      TrainingCurves.write(entries, config.plotFile());
      List<Double> losses = new ArrayList<>(total);
      for (StepMetrics m : entries.steps()) {
        losses.add(m.loss());
      }
      double bias = config.loss() == LossKind.SIGMOID ? step.bias() : 0;
      return new RawImageTrainingResult(
          total,
          losses,
          new ScoreCalibration(config.loss(), Math.exp(step.logTemperature()), bias));
    }
  }

  /**
   * {@return the run's trajectory fingerprint: the configuration's, then the image settings} The
   * image tower's seed is recorded only for a random initialisation, where it picks the weights.
   */
  TrajectoryFingerprint fingerprint() {
    Map<String, String> image = new LinkedHashMap<>();
    image.put("image.training", imageTraining.name());
    image.put("image.resolution", Integer.toString(resolution));
    image.put("image.init", imageTower.init().name());
    if (imageTower.init() == TrainableMobileNetV2.Init.RANDOM) {
      image.put("image.seed", Long.toString(imageTower.seed()));
    }
    image.put("image.layer", imageTower.layer());
    image.put("image.batchNormMomentum", Double.toString(imageTower.batchNormMomentum()));
    return new TrajectoryFingerprint(config.trajectoryFingerprint()).plus(image);
  }

  /** What this trainer's checkpoints hold and how its user resumes. */
  private TrainingRecorder.Spec recorderSpec() {
    return new TrainingRecorder.Spec(
        config,
        fingerprint(),
        buffers(),
        "RawImageTrainer",
        "imageTower, textTower, config, ImageTraining." + imageTraining + ", " + resolution);
  }

  /** The image tower's parameters as the step's trainable tensors; none when locked. */
  private List<TrainableParameter> imageParameters() {
    if (imageTraining == ImageTraining.LOCKED) {
      return List.of();
    }
    List<TrainableParameter> out = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : imageTower.namedParameters().entrySet()) {
      out.add(new TrainableParameter(IMAGE_PREFIX + e.getKey(), e.getValue().getArray()));
    }
    return out;
  }

  /**
   * The image tower's moving statistics, which an unlocked run changes and a checkpoint keeps; none
   * when locked (they never change).
   */
  private List<TrainableParameter> buffers() {
    if (imageTraining == ImageTraining.LOCKED) {
      return List.of();
    }
    List<TrainableParameter> out = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : imageTower.namedBuffers().entrySet()) {
      out.add(new TrainableParameter(IMAGE_PREFIX + e.getKey(), e.getValue().getArray()));
    }
    return out;
  }

  /**
   * The locked tower's embeddings of one batch, computed in inference mode outside any gradient
   * collector and copied to the host: to the step they are pre-computed embeddings.
   */
  private float[] lockedEmbeddings(float[] pixels, Shape shape) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(pixels, shape);
      return imageTower.forward(x, ForwardMode.INFERENCE).toFloatArray();
    }
  }

  /** Reads and preprocesses the batch's images into one NCHW float32 array. */
  private float[] pixels(ImageCaptionPairs data, int[] indices) throws IOException {
    int size = preprocessing.tensorSize();
    float[] out = new float[indices.length * size];
    for (int k = 0; k < indices.length; k++) {
      preprocessing.apply(data.read(indices[k], 2 * resolution)).copyTo(out, k * size);
    }
    return out;
  }

  /** Fails before the first step if a file is missing rather than at the step that draws it. */
  private static void checkFilesExist(ImageCaptionPairs data) throws ImageReadException {
    List<Path> files = data.files();
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      if (!Files.exists(f)) {
        throw new ImageReadException(
            f,
            ImageReadException.Reason.MISSING,
            "image "
                + i
                + " of the training data does not exist; fix its path or remove it from the"
                + " ImageCaptionPairs",
            null);
      }
    }
  }

  /**
   * The data's image count and captions as {@link EpochPlan} reads them, so that the batch order
   * and caption draws are those of {@link PyTorchContrastiveTrainer} for the same seed and sizes.
   * There are no embeddings: {@link #imageRows} is never called.
   */
  private static final class CaptionsOnly implements TrainingPairs {
    private final ImageCaptionPairs data;

    CaptionsOnly(ImageCaptionPairs data) {
      this.data = data;
    }

    @Override
    public int size() {
      return data.size();
    }

    @Override
    public int dimension() {
      return 0;
    }

    @Override
    public Optional<TowerIdentity> imageIdentity() {
      return Optional.empty();
    }

    @Override
    public void imageRows(int[] images, float[] out) {
      throw new UnsupportedOperationException("raw-image data has no pre-computed embeddings");
    }

    @Override
    public int captionCount(int image) {
      return data.captions(image).size();
    }

    @Override
    public String caption(int image, int which) {
      return data.captions(image).get(which);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("RawImageTrainer is closed");
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

  /**
   * Builds a {@link RawImageTrainer}; not thread-safe. {@link #build()} checks the arguments given
   * to {@link RawImageTrainer#builder}.
   */
  public static final class Builder {
    private final TrainableMobileNetV2 imageTower;
    private final TransformerTextTower textTower;
    private final TrainerConfig config;
    private final ImageTraining imageTraining;
    private final int resolution;
    private ProgressListener progress = ProgressListener.silent();
    private Path resumeFrom;

    private Builder(
        TrainableMobileNetV2 imageTower,
        TransformerTextTower textTower,
        TrainerConfig config,
        ImageTraining imageTraining,
        int resolution) {
      this.imageTower = Objects.requireNonNull(imageTower, "imageTower");
      this.textTower = Objects.requireNonNull(textTower, "textTower");
      this.config = Objects.requireNonNull(config, "config");
      this.imageTraining = Objects.requireNonNull(imageTraining, "imageTraining");
      this.resolution = resolution;
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
     * Resumes from a checkpoint directory (see {@link RawImageTrainer#latestCheckpoint}); the
     * configuration's trajectory fields and the image settings must equal the checkpoint's.
     *
     * @param checkpoint a checkpoint directory
     * @return this builder
     */
    public Builder resumeFrom(Path checkpoint) {
      this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /**
     * Makes the trainer.
     *
     * @return the trainer; the caller closes it
     * @throws IllegalArgumentException if the towers' dimensions differ, the resolution is out of
     *     range, or the towers' parameters live on different devices (the values are named)
     * @throws IllegalStateException if a tower is closed
     */
    public RawImageTrainer build() {
      TrainableMobileNetV2.preprocessing(resolution);
      if (textTower.dimension() != imageTower.dimension()) {
        throw new IllegalArgumentException(
            "embedding dimensions differ: image tower = "
                + imageTower.dimension()
                + ", text tower = "
                + textTower.dimension()
                + "; configure the text tower's output dimension to the image tower's");
      }
      TrainableTextTower trainable =
          config.textTraining() == TextTraining.PROJECTION
              ? new ProjectionTrainable(textTower, CaptionFeatureCache.create())
              : new TransformerTrainable(textTower);
      Device imageDevice =
          imageTower.namedParameters().values().iterator().next().getArray().getDevice();
      if (!imageDevice.equals(trainable.mainDevice())) {
        throw new IllegalArgumentException(
            "the image tower's parameters live on "
                + imageDevice
                + " but the text tower's on "
                + trainable.mainDevice()
                + "; create both towers on the same device");
      }
      return new RawImageTrainer(this, trainable);
    }
  }
}
