package dev.lit4j.model;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.embedding.Whitening;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhitenedImageTowerTest {
  private static final int D = 6;

  @TempDir Path dir;

  private static List<BufferedImage> images(int n) {
    List<BufferedImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(ColourImageTower.solid(0x010203 * (i + 1) + 0x203040, 4));
    }
    return out;
  }

  private static Whitening fitted(ImageTower inner, int k, double eps) {
    return Whitening.fit(inner.embedAll(images(40)), k, eps);
  }

  @Test
  void embed_equalsTheWhiteningOfTheInnerEmbedding_asAStoreWouldSeeIt() {
    ColourImageTower inner = ColourImageTower.seeded(D, 1);
    try (WhitenedImageTower tower = WhitenedImageTower.of(inner, fitted(inner, 4, 0.01))) {
      BufferedImage image = ColourImageTower.solid(0x808080, 4);
      Embedding direct = tower.embed(image);
      EmbeddingMatrix stored = EmbeddingMatrix.of(List.of(inner.embed(image)));
      assertAllClose(tower.whiten(stored).get(0).toArray(), direct.toArray(), FLOAT32_RTOL, 1e-7);
      assertEquals(4, tower.dimension());
      assertEquals(4, direct.dimension());
    }
  }

  @Test
  void identity_changesWithTheTransform_andNamesIt() {
    ColourImageTower inner = ColourImageTower.seeded(D, 2);
    WhitenedImageTower a = WhitenedImageTower.of(inner, fitted(inner, D, 0.01));
    WhitenedImageTower b = WhitenedImageTower.of(inner, fitted(inner, D, 0.1));
    assertNotEquals(a.identity().checksum(), b.identity().checksum());
    assertNotEquals(inner.identity().checksum(), a.identity().checksum());
    assertTrue(a.identity().name().endsWith("+whitened-" + D), a.identity().name());
    assertTrue(a.identity().preprocessing().startsWith(inner.identity().preprocessing()));
    assertEquals(inner.identity(), a.innerIdentity());
  }

  @Test
  void saveAndLoad_throughAModelDirectory_givesTheSameEmbeddings() throws Exception {
    Path model = dir.resolve("model");
    BufferedImage image = ColourImageTower.solid(0x996633, 4);
    Embedding before;
    TowerIdentity identity;
    ColourImageTower inner = ColourImageTower.seeded(D, 3);
    try (LitModel m =
        LitModel.of(
            WhitenedImageTower.of(inner, fitted(inner, 5, 0.01)),
            new HashingTextTower(5, 3),
            ScoreCalibration.SOFTMAX_DEFAULT)) {
      before = m.imageTower().embed(image);
      identity = m.imageTower().identity();
      m.save(model);
    }
    try (LitModel loaded = LitModel.load(model)) {
      assertTrue(loaded.imageTower() instanceof WhitenedImageTower);
      assertEquals(identity, loaded.imageTower().identity());
      assertEquals(before, loaded.imageTower().embed(image));
    }
  }

  @Test
  void load_withAnEditedTransform_isRefusedByTheModelIdentityCheck() throws Exception {
    Path model = dir.resolve("model");
    ColourImageTower inner = ColourImageTower.seeded(D, 4);
    try (LitModel m =
        LitModel.of(
            WhitenedImageTower.of(inner, fitted(inner, D, 0.01)),
            new HashingTextTower(D, 3),
            ScoreCalibration.SOFTMAX_DEFAULT)) {
      m.save(model);
    }
    Path weights;
    try (var files = Files.walk(model)) {
      weights = files.filter(p -> p.endsWith("whitening.f32")).findFirst().orElseThrow();
    }
    byte[] raw = Files.readAllBytes(weights);
    raw[raw.length - 2] ^= 0x10;
    Files.write(weights, raw);
    Exception e = assertThrows(Exception.class, () -> LitModel.load(model).close());
    assertTrue(e instanceof IOException || e instanceof IllegalArgumentException, e.toString());
    assertTrue(
        e.getMessage().contains("checksum") || e.getMessage().contains("identity"), e.getMessage());
  }

  @Test
  void of_withWhiteningOfAnotherDimension_namesBoth() {
    ColourImageTower inner = ColourImageTower.seeded(D, 5);
    Whitening other = fitted(ColourImageTower.seeded(D + 2, 5), 3, 0.01);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WhitenedImageTower.of(inner, other));
    assertTrue(
        e.getMessage().contains("dimension 8") && e.getMessage().contains("6"), e.getMessage());
  }
}
