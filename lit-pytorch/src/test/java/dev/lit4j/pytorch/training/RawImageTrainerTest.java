package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lit4j.image.ImageReadException;
import dev.lit4j.loss.LossKind;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.training.ImageHead;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RawImageTrainer} on eight generated 64 px images with distinct captions, a one-layer text
 * tower and the real MobileNetV2, batch 4, 3 steps: what each {@link ImageTraining} trains and
 * leaves alone, determinism, and the input checks.
 */
class RawImageTrainerTest {
  static final int RESOLUTION = 64;
  private static final int IMAGES = 8;
  private static final int STEPS = 3;

  @TempDir Path dir;

  /** Draws seeded shapes in seeded colours on a seeded background. */
  private static BufferedImage drawn(long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(RESOLUTION, RESOLUTION, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
    g.fillRect(0, 0, RESOLUTION, RESOLUTION);
    for (int k = 0; k < 4; k++) {
      g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
      int x = r.nextInt(RESOLUTION);
      int y = r.nextInt(RESOLUTION);
      int s = 8 + r.nextInt(RESOLUTION / 2);
      if (k % 2 == 0) {
        g.fillOval(x - s / 2, y - s / 2, s, s);
      } else {
        g.fillRect(x - s / 2, y - s / 2, s, s);
      }
    }
    g.dispose();
    return img;
  }

  static List<BufferedImage> images() {
    List<BufferedImage> out = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      out.add(drawn(100 + i));
    }
    return out;
  }

  /** Two captions per image naming its class word, distinct across images. */
  static List<List<String>> captions() {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      String word = TrainerFixtures.CLASSES.get(i);
      out.add(List.of("a photo of a " + word, "my " + word));
    }
    return out;
  }

  private TrainerConfig config(long seed) {
    return TrainerConfig.builder(dir)
        .batchSize(4)
        .steps(STEPS)
        .warmupSteps(0)
        .learningRate(1e-3)
        .seed(seed)
        .build();
  }

  static TransformerTextTower textTower() {
    return TrainerFixtures.tinyTower(576, 3);
  }

  static Map<String, float[]> textWeights(TransformerTextTower tower) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (TrainableParameter p : new TransformerTrainable(tower).parameters()) {
      out.put(p.name(), p.array().toFloatArray());
    }
    return out;
  }

  private static void assertAllChanged(Map<String, float[]> before, Map<String, float[]> after) {
    for (String name : before.keySet()) {
      assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " did not change");
    }
  }

  private static void assertFiniteLosses(RawImageTrainingResult result) {
    assertEquals(STEPS, result.steps());
    assertEquals(STEPS, result.losses().size());
    result.losses().forEach(l -> assertTrue(Double.isFinite(l) && l > 0, "loss " + l));
    assertTrue(Double.isFinite(result.temperature()) && result.temperature() > 0);
  }

  private RawImageTrainingResult train(
      TrainableMobileNetV2 image,
      TransformerTextTower text,
      ImageTraining training,
      ImageCaptionPairs data,
      long seed)
      throws IOException {
    try (RawImageTrainer trainer =
        RawImageTrainer.of(image, text, config(seed), training, RESOLUTION)) {
      return trainer.train(data);
    }
  }

  @Test
  void unlocked_fromPretrainedAndRandom_movesEveryImageParameterWithAGradient_statisticsAndText()
      throws IOException {
    ImageCaptionPairs data = ImageCaptionPairs.ofImages(images(), captions());
    for (Init init : Init.values()) {
      try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(init).seed(11).build();
          TransformerTextTower text = textTower()) {
        Map<String, FloatTensor> before = image.weightSnapshot();
        Map<String, float[]> textBefore = textWeights(text);
        RawImageTrainingResult result = train(image, text, ImageTraining.UNLOCKED, data, 5);
        assertFiniteLosses(result);
        Map<String, FloatTensor> after = image.weightSnapshot();
        assertEquals(before.keySet(), after.keySet());
        int moved = 0;
        for (String name : before.keySet()) {
          if (name.endsWith("_project_BN/beta")) {
            continue; // gets only rounding noise in training mode; see TrainableMobileNetV2
          }
          assertFalse(
              Arrays.equals(before.get(name).toArray(), after.get(name).toArray()),
              init + ": " + name + " did not change");
          moved++;
        }
        // 40 kernels + 40 gains + 27 shifts with a gradient, and 2 × 40 moving statistics.
        assertEquals(40 + 40 + 27 + 80, moved, init.toString());
        assertAllChanged(textBefore, textWeights(text));
      }
    }
  }

  @Test
  void unlocked_withTheSigmoidLossALinearHeadAndProjectionOnlyText_trainsTheImageTower()
      throws IOException {
    ImageCaptionPairs data = ImageCaptionPairs.ofImages(images(), captions());
    TrainerConfig config =
        config(5).toBuilder()
            .loss(LossKind.SIGMOID)
            .imageHead(ImageHead.LINEAR)
            .textTraining(TextTraining.PROJECTION)
            .build();
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      Map<String, FloatTensor> before = image.weightSnapshot();
      RawImageTrainingResult result;
      try (RawImageTrainer trainer =
          RawImageTrainer.of(image, text, config, ImageTraining.UNLOCKED, RESOLUTION)) {
        result = trainer.train(data);
      }
      assertFiniteLosses(result);
      assertEquals(LossKind.SIGMOID, result.calibration().loss());
      assertTrue(result.calibration().bias() != config.initialBias(), "the bias did not train");
      Map<String, FloatTensor> after = image.weightSnapshot();
      for (String name : before.keySet()) {
        if (!name.endsWith("_project_BN/beta")) {
          assertFalse(
              Arrays.equals(before.get(name).toArray(), after.get(name).toArray()),
              name + " did not change");
        }
      }
    }
  }

  @Test
  void locked_leavesTheImageTowerBitIdentical_whileTheTextTowerTrains() throws IOException {
    ImageCaptionPairs data = ImageCaptionPairs.ofImages(images(), captions());
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      Map<String, FloatTensor> before = image.weightSnapshot();
      Map<String, float[]> textBefore = textWeights(text);
      RawImageTrainingResult result = train(image, text, ImageTraining.LOCKED, data, 5);
      assertFiniteLosses(result);
      Map<String, FloatTensor> after = image.weightSnapshot();
      assertEquals(before.keySet(), after.keySet());
      for (String name : before.keySet()) {
        assertTrue(
            Arrays.equals(before.get(name).toArray(), after.get(name).toArray()),
            name + " changed");
      }
      assertAllChanged(textBefore, textWeights(text));
    }
  }

  @Test
  void sameSeed_givesTheSameLosses_fromMemoryAndFromFiles_otherSeedsOthers() throws IOException {
    List<BufferedImage> images = images();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      Path f = dir.resolve("image" + i + ".png");
      ImageIO.write(images.get(i), "png", f.toFile());
      files.add(f);
    }
    List<List<Double>> losses = new ArrayList<>();
    for (ImageCaptionPairs data :
        List.of(
            ImageCaptionPairs.ofImages(images, captions()),
            ImageCaptionPairs.ofImages(images, captions()),
            ImageCaptionPairs.ofFiles(files, captions()))) {
      try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.RANDOM).seed(3).build();
          TransformerTextTower text = textTower()) {
        losses.add(train(image, text, ImageTraining.UNLOCKED, data, 5).losses());
      }
    }
    // Bit for bit: the same engine kernels on one CPU thread, the same images (PNG is lossless).
    assertEquals(losses.get(0), losses.get(1));
    assertEquals(losses.get(0), losses.get(2));
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.RANDOM).seed(3).build();
        TransformerTextTower text = textTower()) {
      List<Double> other =
          train(
                  image,
                  text,
                  ImageTraining.UNLOCKED,
                  ImageCaptionPairs.ofImages(images, captions()),
                  6)
              .losses();
      assertFalse(other.equals(losses.get(0)), "seed 6 drew the same batches as seed 5");
    }
  }

  @Test
  void badData_isRejectedNamingTheValueAndTheFix() {
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class, () -> ImageCaptionPairs.ofImages(List.of(), List.of()));
    assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
    IllegalArgumentException sizes =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImageCaptionPairs.ofImages(images(), captions().subList(0, 3)));
    assertTrue(sizes.getMessage().contains("8 images but 3 caption lists"), sizes.getMessage());
    List<List<String>> noCaption = new ArrayList<>(captions());
    noCaption.set(2, List.of());
    IllegalArgumentException none =
        assertThrows(
            IllegalArgumentException.class, () -> ImageCaptionPairs.ofImages(images(), noCaption));
    assertTrue(none.getMessage().contains("image 2"), none.getMessage());
  }

  @Test
  void badTrainingInput_isRejectedBeforeOrAtTheStepNamingTheValue() throws IOException {
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      IllegalArgumentException resolution =
          assertThrows(
              IllegalArgumentException.class,
              () -> RawImageTrainer.of(image, text, config(1), ImageTraining.UNLOCKED, 16));
      assertTrue(resolution.getMessage().contains("16×16"), resolution.getMessage());
      try (TransformerTextTower narrow = TrainerFixtures.tinyTower(64, 3)) {
        IllegalArgumentException dims =
            assertThrows(
                IllegalArgumentException.class,
                () -> RawImageTrainer.of(image, narrow, config(1), ImageTraining.LOCKED, 64));
        assertTrue(
            dims.getMessage().contains("image tower = 576, text tower = 64"), dims.getMessage());
      }
      ImageCaptionPairs three =
          ImageCaptionPairs.ofImages(images().subList(0, 3), captions().subList(0, 3));
      Path missing = dir.resolve("missing.png");
      Path corrupt = dir.resolve("corrupt.png");
      Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0});
      List<Path> withMissing = new ArrayList<>();
      List<Path> withCorrupt = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Path f = dir.resolve("ok" + i + ".png");
        ImageIO.write(drawn(i), "png", f.toFile());
        withMissing.add(i == 2 ? missing : f);
        // Batch 4 of 4 images: the first step draws the corrupt one.
        withCorrupt.add(i == 1 ? corrupt : f);
      }
      Map<String, FloatTensor> before = image.weightSnapshot();
      try (RawImageTrainer trainer =
          RawImageTrainer.of(image, text, config(1), ImageTraining.UNLOCKED, RESOLUTION)) {
        IllegalArgumentException batch =
            assertThrows(IllegalArgumentException.class, () -> trainer.train(three));
        assertTrue(
            batch.getMessage().contains("batch size 4 exceeds the 3 images"), batch.getMessage());
        ImageCaptionPairs missingData =
            ImageCaptionPairs.ofFiles(withMissing, captions().subList(0, 4));
        ImageReadException absent =
            assertThrows(ImageReadException.class, () -> trainer.train(missingData));
        assertEquals(missing, absent.path());
        assertTrue(absent.getMessage().contains("image 2"), absent.getMessage());
        ImageCaptionPairs corruptData =
            ImageCaptionPairs.ofFiles(withCorrupt, captions().subList(0, 4));
        ImageReadException bad =
            assertThrows(ImageReadException.class, () -> trainer.train(corruptData));
        assertEquals(corrupt, bad.path());
      }
      // Nothing was trained: every failure came before a step's forward pass.
      Map<String, FloatTensor> after = image.weightSnapshot();
      for (String name : before.keySet()) {
        assertTrue(Arrays.equals(before.get(name).toArray(), after.get(name).toArray()), name);
      }
    }
  }

  @Test
  void training_leavesNoArrayInTheEngine_lockedOrUnlocked() throws IOException {
    ImageCaptionPairs data = ImageCaptionPairs.ofImages(images(), captions());
    NDManager engine;
    try (NDManager probe = ComputeDevice.cpu().newBaseManager()) {
      engine = probe.getParentManager();
    }
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      train(image, text, ImageTraining.UNLOCKED, data, 1); // any lazily made array is made now
      int before = engine.getManagedArrays().size();
      for (ImageTraining training : ImageTraining.values()) {
        train(image, text, training, data, 2);
        assertEquals(before, engine.getManagedArrays().size(), "arrays left by " + training);
      }
    }
  }

  @Test
  void useAfterClose_throws_andCloseIsIdempotent() throws IOException {
    try (TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower text = textTower()) {
      RawImageTrainer trainer =
          RawImageTrainer.of(image, text, config(1), ImageTraining.LOCKED, RESOLUTION);
      trainer.close();
      trainer.close();
      ImageCaptionPairs data = ImageCaptionPairs.ofImages(images(), captions());
      IllegalStateException closed =
          assertThrows(IllegalStateException.class, () -> trainer.train(data));
      assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }
  }
}
