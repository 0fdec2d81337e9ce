package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.ImageCaptionPairs;
import dev.lit4j.pytorch.training.ImageTraining;
import dev.lit4j.retrieval.RankMetrics;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArmRunner} at toy scale with the real engine: every arm of {@link Arm#grid} on eight
 * generated 64 px images (red circles and blue squares) with one-layer text towers on MiniLM's
 * tokenizer, 2 steps of batch 4, measured on the same images as a 2-class zero-shot set and a
 * retrieval set.
 */
class ArmRunnerTest {
  private static final int RESOLUTION = 64;
  private static final int IMAGES = 8;
  private static final List<String> CLASSES = List.of("circle", "square");

  @TempDir Path dir;

  /** Image {@code i}: a red circle (even) or blue square (odd) of seeded size on white. */
  private static BufferedImage drawn(int i) {
    BufferedImage img = new BufferedImage(RESOLUTION, RESOLUTION, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, RESOLUTION, RESOLUTION);
    int s = 20 + 4 * i;
    int at = (RESOLUTION - s) / 2;
    if (i % 2 == 0) {
      g.setColor(Color.RED);
      g.fillOval(at, at, s, s);
    } else {
      g.setColor(Color.BLUE);
      g.fillRect(at, at, s, s);
    }
    g.dispose();
    return img;
  }

  /** A one-layer tower of width 32 on MiniLM's tokenizer, its init seeded per text setting. */
  private static TransformerTextTower tinyTower(Arm.TextSetting text, int dimension, long seed)
      throws IOException {
    TextTowerConfig config =
        TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, dimension)
            .layers(1)
            .width(32)
            .heads(4)
            .ffnWidth(64)
            .seed(31 * seed + text.ordinal())
            .build();
    try (InputStream in = AllMiniLmL6V2.openTokenizerJson()) {
      return TransformerTextTower.create(config, TextTokenizer.load(in, config.maxLength()));
    }
  }

  @Test
  void run_eachArmOnToyData_givesUnitIntervalMetrics_andTrainsTheImageTowerOnlyWhenUnlocked()
      throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<List<String>> captions = new ArrayList<>();
    int[] truth = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      BufferedImage img = drawn(i);
      images.add(img);
      Path f = dir.resolve(i + ".png");
      ImageIO.write(img, "png", f.toFile());
      files.add(f);
      truth[i] = i % 2;
      captions.add(List.of("a " + (i % 2 == 0 ? "red" : "blue") + " " + CLASSES.get(i % 2)));
    }
    ImageCaptionPairs train = ImageCaptionPairs.ofImages(images, captions);
    HeldOutImages heldOut =
        new HeldOutImages(
            List.of(new HeldOutImages.Labelled("shapes", files, CLASSES, truth)),
            Optional.of(new HeldOutImages.Captioned("shapes", files, captions)));
    TrainerConfig config =
        TrainerConfig.builder(dir)
            .textTraining(TextTraining.FULL)
            .batchSize(4)
            .steps(2)
            .warmupSteps(0)
            .learningRate(1e-3)
            .seed(3)
            .build();
    for (Arm arm : Arm.grid(RESOLUTION)) {
      ArmResult r =
          ArmRunner.run(
              arm, config, train, heldOut, ArmRunnerTest::tinyTower, ProgressListener.silent());
      assertEquals(arm, r.arm());
      assertEquals(2, r.training().steps());
      assertInUnitInterval(arm + " top-1", r.top1("shapes"));
      assertInUnitInterval(arm + " top-5", r.top5("shapes"));
      // Two classes: the true class is always among the top five.
      assertEquals(1.0, r.top5("shapes"), 1e-12, arm.toString());
      for (RankMetrics m : List.of(r.retrieval().imageToText(), r.retrieval().textToImage())) {
        assertInUnitInterval(arm + " R@1", m.recallAt1());
        assertInUnitInterval(arm + " R@5", m.recallAt5());
        assertInUnitInterval(arm + " R@10", m.recallAt10());
      }
      assertTrue(r.seconds() >= r.trainSeconds() && r.trainSeconds() > 0, arm.toString());
      if (arm.image().training() == ImageTraining.LOCKED) {
        assertEquals(r.imageBefore(), r.imageAfter(), arm + ": the locked tower changed");
      } else {
        assertNotEquals(
            r.imageBefore(), r.imageAfter(), arm + ": the unlocked tower did not train");
      }
    }
  }

  private static void assertInUnitInterval(String what, double value) {
    assertTrue(Double.isFinite(value) && value >= 0 && value <= 1, what + " = " + value);
  }
}
