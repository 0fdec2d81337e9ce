package dev.lit4j.pytorch.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MobileNetV2TowerTest {

  /** Same images in a batch or one at a time: float32 kernels may sum in another order. */
  private static final double BATCH_ATOL = 1e-5;

  private MobileNetV2Tower tower;

  @BeforeAll
  void load() {
    tower = MobileNetV2Tower.load();
  }

  @AfterAll
  void close() {
    tower.close();
  }

  private static BufferedImage noise(long seed, int w, int h) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt());
      }
    }
    return img;
  }

  @Test
  void lockedTower_weightsAreBitIdenticalAfterATrainingStepOnItsOutput() {
    Map<String, float[]> before = tower.model().weightSnapshot();
    assertFalse(tower.model().anyWeightRequiresGradient());
    float[] batch = new float[2 * 3 * 224 * 224];
    MobileNetV2Tower.preprocessing().apply(noise(1, 300, 200)).copyTo(batch, 0);
    MobileNetV2Tower.preprocessing().apply(noise(2, 90, 120)).copyTo(batch, 3 * 224 * 224);
    Linear head = Linear.builder().setUnits(4).build();
    try (Model probe = Model.newInstance("head", "PyTorch")) {
      probe.setBlock(head);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
      try (Trainer trainer = probe.newTrainer(config)) {
        trainer.initialize(new Shape(2, tower.dimension()));
        List<float[]> headBefore = new ArrayList<>();
        for (Pair<String, Parameter> p : head.getParameters()) {
          headBefore.add(p.getValue().getArray().toFloatArray());
        }
        NDManager m = trainer.getManager();
        try (GradientCollector gc = trainer.newGradientCollector()) {
          // The tower runs inside the collector: the strongest temptation to track its weights.
          NDArray features = tower.features(m.create(batch, new Shape(2, 3, 224, 224)));
          NDArray prediction = trainer.forward(new NDList(features)).singletonOrThrow();
          NDArray loss =
              trainer
                  .getLoss()
                  .evaluate(new NDList(m.ones(new Shape(2, 4))), new NDList(prediction));
          gc.backward(loss);
        }
        trainer.step();
        int i = 0;
        for (Pair<String, Parameter> p : head.getParameters()) {
          assertFalse(
              Arrays.equals(headBefore.get(i++), p.getValue().getArray().toFloatArray()),
              "the trainable head parameter " + p.getKey() + " did not change: no step happened");
        }
      }
    }
    Map<String, float[]> after = tower.model().weightSnapshot();
    assertEquals(before.keySet(), after.keySet());
    assertTrue(before.size() > 100, "weights audited: " + before.size());
    before.forEach(
        (name, values) ->
            assertArrayEquals(values, after.get(name), "tower weight " + name + " changed"));
    assertFalse(tower.model().anyWeightRequiresGradient());
  }

  @Test
  void identity_namesModelLayerAndChecksumOfTheShippedFiles() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String f : List.of("model.json", "group1-shard1of1.bin")) {
      try (InputStream in =
          getClass().getResourceAsStream(MobileNetV2Tower.RESOURCE_DIRECTORY + f)) {
        sha.update(in.readAllBytes());
      }
    }
    assertEquals(HexFormat.of().formatHex(sha.digest()), tower.identity().checksum());
    assertEquals("nsfwjs-4.3.0/mobilenet_v2/block_13_expand_relu", tower.identity().name());
    assertTrue(tower.identity().preprocessing().startsWith("size=224;resize=RESIZE_SQUARE"));
    assertEquals(576, tower.dimension());
  }

  @Test
  void embedAll_rowsAreUnitNormAndEqualOneAtATime_andReleaseTheirArrays() {
    List<BufferedImage> images = List.of(noise(3, 50, 80), noise(4, 224, 224), noise(5, 640, 480));
    EmbeddingMatrix all = tower.embedAll(images);
    assertEquals(3, all.size());
    for (int i = 0; i < images.size(); i++) {
      float[] single = tower.embed(images.get(i)).toArray();
      float[] row = all.get(i).toArray();
      double norm = 0;
      for (int j = 0; j < row.length; j++) {
        norm += row[j] * row[j];
        assertEquals(row[j], single[j], BATCH_ATOL, "image " + i + " component " + j);
      }
      assertEquals(1.0, norm, 1e-5);
    }
    assertEquals(0, tower.liveArrayCount(), "arrays left in the tower's scope after embedAll");
  }

  @Test
  void embedAll_nullImage_namesItsIndex() {
    List<BufferedImage> images = Arrays.asList(noise(6, 10, 10), null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tower.embedAll(images));
    assertTrue(e.getMessage().contains("images[1]"), e.getMessage());
    List<BufferedImage> none = List.of();
    assertThrows(IllegalArgumentException.class, () -> tower.embedAll(none));
  }

  @Test
  void forward_wrongInputSize_namesBothShapes() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray wrong = m.zeros(new Shape(1, 3, 100, 100));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> tower.model().forward(wrong, MobileNetV2Tower.DEFAULT_LAYER));
      assertTrue(e.getMessage().contains("(1, 3, 100, 100)"), e.getMessage());
      assertTrue(e.getMessage().contains("[N, 3, 224, 224]"), e.getMessage());
    }
  }

  @Test
  void forward_releasesIntermediatesAsItGoes() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray input = m.zeros(new Shape(1, 3, 224, 224));
      NDArray out = tower.model().forward(input, "block_16_project_BN");
      assertEquals(new Shape(1, 320, 7, 7), out.getShape());
      // DJL's clip() allocates its two bounds as scalar arrays that live until the call scope
      // closes; every feature map but the output must already be released.
      Set<Shape> left =
          m.getManagedArrays().stream()
              .map(NDArray::getShape)
              .filter(s -> s.size() > 1)
              .collect(Collectors.toSet());
      assertEquals(Set.of(input.getShape(), out.getShape()), left, "feature maps left");
      assertEquals(
          2, m.getManagedArrays().stream().filter(a -> a.size() > 1).count(), "feature maps left");
    }
  }

  @Test
  void load_unknownLayer_listsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MobileNetV2Tower.load("block_99"));
    assertTrue(e.getMessage().contains("'block_99'"), e.getMessage());
    assertTrue(e.getMessage().contains("out_relu"), e.getMessage());
  }

  @Test
  void otherLayer_givesItsChannelCount() {
    try (MobileNetV2Tower last = MobileNetV2Tower.load("out_relu")) {
      assertEquals(1280, last.dimension());
      assertEquals("out_relu", last.layer());
    }
  }

  @Test
  void layersAfterFlatten_getTheirWidthFromAFullSizeProbe() {
    // dense_1 follows a Flatten, so its input width depends on the image size: the load-time
    // probe's small image would not fit it, and the tower must still load with the right width.
    try (MobileNetV2Tower dense = MobileNetV2Tower.load("dense_1");
        MobileNetV2Tower head = MobileNetV2Tower.load("dense_3")) {
      assertEquals(256, dense.dimension());
      assertEquals(5, head.dimension());
      assertEquals(5, head.embedAll(List.of(noise(3, 64, 64))).dimension());
    }
  }

  @Test
  void saveThenLoadThroughServiceLoader_referencesTheShippedWeights(@TempDir Path dir)
      throws IOException {
    tower.saveTo(dir);
    assertEquals(MobileNetV2TowerFormat.FORMAT_ID, tower.formatId());
    List<BufferedImage> images = List.of(noise(7, 64, 64));
    try (ImageTower loaded =
        TorchScriptImageTowerTest.format(MobileNetV2TowerFormat.FORMAT_ID).loadImageTower(dir)) {
      assertEquals(tower.identity(), loaded.identity());
      assertEquals(tower.embedAll(images), loaded.embedAll(images));
    }
    Path ref = dir.resolve(MobileNetV2TowerFormat.REFERENCE_FILE);
    Files.writeString(ref, Files.readString(ref).replace(tower.identity().checksum(), "00ff"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TorchScriptImageTowerTest.format(MobileNetV2TowerFormat.FORMAT_ID)
                    .loadImageTower(dir));
    assertTrue(e.getMessage().contains("00ff"), e.getMessage());
  }

  @Test
  void close_isIdempotentAndLaterUseThrows() {
    MobileNetV2Tower t = MobileNetV2Tower.load();
    t.close();
    t.close();
    BufferedImage img = noise(8, 8, 8);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.embed(img));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
