package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.model.LitModel;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end LiT-tuning on synthetic but structured data with the real engine on the CPU. */
class TrainingRunTest {
  private static final int D = 16;

  @TempDir Path dir;

  @Test
  void train_onStructuredData_raisesHeldOutZeroShotAccuracyWellAboveChance() throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(8, D, 11);
    PairedEmbeddings train = TrainerFixtures.pairs(prototypes, 256, 0.8, 12);
    ZeroShotSet heldOut = TrainerFixtures.heldOut(prototypes, 160, 0.8, 13);
    TrainerConfig config =
        TrainerConfig.builder(dir)
            .batchSize(32)
            .epochs(8)
            .warmupSteps(5)
            .learningRate(3e-3)
            .seed(5)
            .evalEvery(16)
            .checkpointEvery(32)
            .build();
    LockedImageTower imageTower = new LockedImageTower(D, 99);
    EmbeddingMatrix imagesBefore = train.images();
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, imageTower, config)
                .evaluation(
                    new EvaluationData(
                        Optional.of(heldOut),
                        Optional.of(TrainerFixtures.pairs(prototypes, 48, 0.8, 14))))
                .build()) {
      double chanceLevelBefore = accuracy(text, imageTower, heldOut);
      TrainingResult result = trainer.train(train);
      double after = accuracy(text, imageTower, heldOut);
      System.err.println(
          "zero-shot before " + chanceLevelBefore + " after " + after + " " + result);
      assertTrue(after >= 0.6, "held-out zero-shot top-1 " + after + " (chance 0.125)");
      assertEquals(64, result.steps());

      MetricsLog.Entries log = MetricsLog.read(config.metricsFile());
      assertEquals(64, log.steps().size());
      assertEquals(4, log.evaluations().size());
      double lastLogged = log.evaluations().get(3).values().get("zeroShotTop1");
      assertEquals(after, lastLogged, 1e-12);
      assertTrue(log.evaluations().get(3).values().containsKey("imageToTextR5"));
      BufferedImage plot = ImageIO.read(config.plotFile().toFile());
      assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100);

      try (LitModel model = LitModel.load(result.modelDirectory())) {
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, heldOut.classNames());
        double loaded =
            ClassificationMetrics.evaluate(
                    classifier.classifyAll(heldOut.images()), heldOut.trueClasses())
                .top1();
        assertEquals(after, loaded, 1e-12, "the saved model classifies as the trained one");
        assertEquals(result.calibration(), model.calibration());
      }
    }
    assertEquals(0, imageTower.embedCalls(), "training never runs the image tower");
    assertEquals(0, imageTower.closeCalls(), "the trainer borrows the image tower");
    assertEquals(imagesBefore, train.images());
    assertTrue(Files.isDirectory(config.checkpointDirectory().resolve("step-000000064")));
    assertEveryEntryFollowsTheUmask(config.outputDirectory());
  }

  /**
   * Saved models, checkpoints and logs get the permissions of ordinarily created files and
   * directories (what the umask allows), so a model trained by one user can be served by another.
   */
  private void assertEveryEntryFollowsTheUmask(Path root) throws IOException {
    String fileMode = mode(Files.createFile(dir.resolve("ordinary-file")));
    String dirMode = mode(Files.createDirectory(dir.resolve("ordinary-dir")));
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(root)) {
      // The root itself is JUnit's temporary directory (owner-only by design).
      entries = walk.filter(p -> !p.equals(root)).toList();
    }
    assertTrue(entries.size() > 10, "walked " + entries);
    for (Path entry : entries) {
      String expected = Files.isDirectory(entry) ? dirMode : fileMode;
      assertEquals(expected, mode(entry), "permissions of " + root.relativize(entry));
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void train_withLinearImageHead_savesAModelWhoseImageTowerAppliesTheTrainedHead()
      throws Exception {
    float[][] prototypes = TrainerFixtures.prototypes(4, D, 31);
    PairedEmbeddings train = TrainerFixtures.pairs(prototypes, 64, 0.8, 32);
    ZeroShotSet heldOut = TrainerFixtures.heldOut(prototypes, 40, 0.8, 33);
    TrainerConfig config =
        TrainerConfig.builder(dir)
            .loss(dev.lit4j.loss.LossKind.SIGMOID)
            .imageHead(dev.lit4j.training.ImageHead.LINEAR)
            .batchSize(16)
            .steps(6)
            .warmupSteps(0)
            .seed(2)
            .build();
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 3);
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 98), config)
                .evaluation(EvaluationData.zeroShot(heldOut))
                .build()) {
      TrainingResult result = trainer.train(train);
      double logged =
          MetricsLog.read(config.metricsFile()).evaluations().get(0).values().get("zeroShotTop1");
      try (LitModel model = LitModel.load(result.modelDirectory())) {
        dev.lit4j.model.LinearHeadImageTower tower =
            (dev.lit4j.model.LinearHeadImageTower) model.imageTower();
        float[] w = tower.weight().toArray();
        double offIdentity = 0;
        for (int i = 0; i < w.length; i++) {
          offIdentity += Math.abs(w[i] - (i / D == i % D ? 1 : 0));
        }
        assertTrue(offIdentity > 1e-3, "the head was trained: |W - I|_1 = " + offIdentity);
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, heldOut.classNames());
        double loaded =
            ClassificationMetrics.evaluate(
                    classifier.classifyAll(tower.project(heldOut.images())), heldOut.trueClasses())
                .top1();
        assertEquals(logged, loaded, 1e-12, "evaluation during training used the same head");
      }
    }
  }

  static double accuracy(TransformerTextTower text, LockedImageTower imageTower, ZeroShotSet set) {
    LitModel view = LitModel.of(imageTower, text, dev.lit4j.model.ScoreCalibration.SOFTMAX_DEFAULT);
    return ClassificationMetrics.evaluate(
            ZeroShotClassifier.of(view, set.classNames()).classifyAll(set.images()),
            set.trueClasses())
        .top1();
  }
}
