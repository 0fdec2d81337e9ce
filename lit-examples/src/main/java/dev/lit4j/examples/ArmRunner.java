package dev.lit4j.examples;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.NamedRetrievalSet;
import dev.lit4j.eval.NamedZeroShotSet;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.ImageCaptionPairs;
import dev.lit4j.pytorch.training.RawImageTrainer;
import dev.lit4j.pytorch.training.RawImageTrainingResult;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one {@link Arm} of the LiT comparison: makes its towers, trains them with {@link
 * RawImageTrainer} and measures the trained towers on held-out images.
 *
 * <p>Training: the image tower is {@link TrainableMobileNetV2} with the arm's initialisation,
 * seeded by the configuration's seed, locked or trained per the arm; the text tower comes from a
 * {@link TextTowers} factory (by default the arm's MiniLM or MiniLM-shaped scratch tower, its init
 * seeded by the same seed) and trains per {@link TrainerConfig#textTraining()} (the comparison uses
 * {@code FULL} for every arm).
 *
 * <p>Evaluation: each held-out file is read (subsampled to at least twice the resolution), squashed
 * to the arm's resolution and embedded by the trained image tower in inference mode ({@link
 * TrainedImageTower}); zero-shot classification with {@link NamedZeroShotSet#DEFAULT_TEMPLATES} and
 * retrieval run through lit-core's {@link EvaluationData} on a {@link LitModel} of the two trained
 * towers and the trained temperature.
 *
 * <pre>{@code
 * ArmResult r = ArmRunner.run(new Arm(ImageSetting.LOCKED, TextSetting.MINILM, 112),
 *     config, trainingPairs, heldOut);
 * }</pre>
 *
 * <p>Stateless and thread-safe; a run is not (it owns the towers it makes and closes them).
 */
public final class ArmRunner {
  /** Files read and embedded at a time, to bound the heap. */
  private static final int READ_CHUNK = 64;

  /** Makes an arm's text tower; lets tests inject small towers. */
  @FunctionalInterface
  public interface TextTowers {
    /**
     * Makes the tower for {@code text}.
     *
     * @param text the arm's text setting
     * @param dimension the image tower's embedding dimension
     * @param seed the run's seed
     * @return a new tower; the runner closes it
     * @throws IOException if weights or a tokenizer cannot be read
     */
    TransformerTextTower create(Arm.TextSetting text, int dimension, long seed) throws IOException;
  }

  /** The arm's own towers: {@link Arm.TextSetting#create(int, long)}. */
  public static final TextTowers ARM_TEXT_TOWERS = Arm.TextSetting::create;

  private ArmRunner() {}

  /**
   * Runs {@code arm} with its own text tower ({@link #ARM_TEXT_TOWERS}), reporting no progress.
   *
   * @see #run(Arm, TrainerConfig, ImageCaptionPairs, HeldOutImages, TextTowers, ProgressListener)
   */
  public static ArmResult run(
      Arm arm, TrainerConfig config, ImageCaptionPairs train, HeldOutImages heldOut)
      throws IOException {
    return run(arm, config, train, heldOut, ARM_TEXT_TOWERS, ProgressListener.silent());
  }

  /**
   * Makes the arm's towers, trains them on {@code train} for the configuration's length and
   * measures them on {@code heldOut}.
   *
   * @param arm the image setting, text setting and resolution
   * @param config batch size, length, loss, optimiser, schedule, text training and seed
   * @param train the training images and captions
   * @param heldOut the images to measure on
   * @param textTowers makes the text tower
   * @param progress told about the training steps
   * @return the metrics, the training result, the image tower's identity before and after, and the
   *     wall times
   * @throws IllegalArgumentException if the batch size exceeds the training images
   * @throws IOException if an image or the text tower's weights cannot be read
   */
  public static ArmResult run(
      Arm arm,
      TrainerConfig config,
      ImageCaptionPairs train,
      HeldOutImages heldOut,
      TextTowers textTowers,
      ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(arm, "arm");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(heldOut, "heldOut");
    Objects.requireNonNull(textTowers, "textTowers");
    Objects.requireNonNull(progress, "progress");
    long start = System.nanoTime();
    try (TrainableMobileNetV2 image =
            TrainableMobileNetV2.builder(arm.image().init()).seed(config.seed()).build();
        TransformerTextTower text =
            textTowers.create(arm.text(), image.dimension(), config.seed())) {
      TowerIdentity before = TrainedImageTower.of(image, arm.resolution(), arm.code()).identity();
      long trainStart = System.nanoTime();
      RawImageTrainingResult training;
      try (RawImageTrainer trainer =
          RawImageTrainer.builder(image, text, config, arm.image().training(), arm.resolution())
              .progress(progress)
              .build()) {
        training = trainer.train(train);
      }
      double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
      TrainedImageTower trained = TrainedImageTower.of(image, arm.resolution(), arm.code());
      // A view over the borrowed towers: not closed, since closing a LitModel closes its towers,
      // which the try-with-resources above owns.
      LitModel model = LitModel.of(trained, text, training.calibration());
      EvaluationData data = embed(trained, heldOut);
      return new ArmResult(
          arm,
          config.seed(),
          data.evaluate(model, training.steps()),
          training,
          before,
          trained.identity(),
          trainSeconds,
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Embeds the held-out images with {@code tower} into lit-core's evaluation sets, zero-shot sets
   * with {@link NamedZeroShotSet#DEFAULT_TEMPLATES}.
   *
   * @param tower the image tower
   * @param heldOut the images
   * @return the evaluation data in {@code tower}'s space
   * @throws IOException if an image cannot be read
   */
  static EvaluationData embed(TrainedImageTower tower, HeldOutImages heldOut) throws IOException {
    List<NamedZeroShotSet> sets = new ArrayList<>();
    for (HeldOutImages.Labelled l : heldOut.zeroShot()) {
      ZeroShotSet set =
          new ZeroShotSet(
              embedFiles(tower, l.images(), tower.resolution()), l.classNames(), l.trueClasses());
      sets.add(NamedZeroShotSet.of(l.name(), set));
    }
    Optional<NamedRetrievalSet> retrieval = Optional.empty();
    if (heldOut.retrieval().isPresent()) {
      HeldOutImages.Captioned c = heldOut.retrieval().get();
      EmbeddingMatrix images = embedFiles(tower, c.images(), tower.resolution());
      retrieval =
          Optional.of(new NamedRetrievalSet(c.name(), new PairedEmbeddings(images, c.captions())));
    }
    return new EvaluationData(sets, retrieval);
  }

  /**
   * Reads {@code files} a chunk at a time (each subsampled to a shorter side of at least twice
   * {@code resolution}) and embeds them with {@code tower}.
   *
   * @throws IOException if a file cannot be read
   */
  static EmbeddingMatrix embedFiles(ImageTower tower, List<Path> files, int resolution)
      throws IOException {
    List<Embedding> out = new ArrayList<>(files.size());
    for (int from = 0; from < files.size(); from += READ_CHUNK) {
      List<BufferedImage> chunk = new ArrayList<>();
      for (Path f : files.subList(from, Math.min(files.size(), from + READ_CHUNK))) {
        chunk.add(ImageFiles.read(f, 2 * resolution));
      }
      EmbeddingMatrix e = tower.embedAll(chunk);
      for (int i = 0; i < e.size(); i++) {
        out.add(e.get(i));
      }
    }
    return EmbeddingMatrix.of(out);
  }
}
