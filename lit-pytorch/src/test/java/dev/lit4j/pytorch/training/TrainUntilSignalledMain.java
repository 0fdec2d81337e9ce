package dev.lit4j.pytorch.training;

import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import java.nio.file.Path;

/**
 * The child JVM of {@link ShutdownStopTest}: trains a tiny text tower for far more steps than the
 * test waits, on pre-computed embeddings ({@link #EMBEDDINGS}) or on raw images through an unlocked
 * MobileNetV2 at 32 px ({@link #RAW_IMAGE}), printing {@link #STARTED} once the first step is done,
 * until the JVM is told to stop.
 */
final class TrainUntilSignalledMain {
  static final String STARTED = "training started";
  static final String EMBEDDINGS = "embeddings";
  static final String RAW_IMAGE = "raw-image";
  static final int D = 16;

  private TrainUntilSignalledMain() {}

  /** The configuration of the run in {@code out}; the test resumes with the same. */
  static TrainerConfig config(Path out) {
    return TrainerConfig.builder(out).batchSize(8).steps(1_000_000).warmupSteps(1).seed(3).build();
  }

  static PairedEmbeddings data() {
    return TrainerFixtures.pairs(TrainerFixtures.prototypes(4, D, 21), 32, 0.6, 22);
  }

  /**
   * @param args the trainer ({@link #EMBEDDINGS} or {@link #RAW_IMAGE}) and the run's output
   *     directory
   */
  public static void main(String[] args) throws Exception {
    TrainerConfig config = config(Path.of(args[1]));
    ProgressListener announce =
        new ProgressListener() {
          private boolean told;

          @Override
          public void onUpdate(Progress progress) {
            if (!told && progress.done() >= 1) {
              told = true;
              System.out.println(STARTED);
              System.out.flush();
            }
          }

          @Override
          public void onFinish(Progress progress) {}
        };
    if (args[0].equals(RAW_IMAGE)) {
      try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
          TransformerTextTower text = TrainerFixtures.tinyTower(image.dimension(), 1);
          RawImageTrainer trainer =
              RawImageTrainer.builder(image, text, config, ImageTraining.UNLOCKED, 32)
                  .progress(announce)
                  .build()) {
        trainer.train(
            ImageCaptionPairs.ofImages(
                RawImageTrainerTest.images(), RawImageTrainerTest.captions()));
      }
      return;
    }
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), config)
                .progress(announce)
                .build()) {
      trainer.train(data());
    }
  }
}
