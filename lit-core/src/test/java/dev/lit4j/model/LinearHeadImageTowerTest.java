package dev.lit4j.model;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearHeadImageTowerTest {
  private static final int D = 4;

  @TempDir Path dir;

  private static FloatMatrix head() {
    float[] w = new float[D * D];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % (D + 1) == 0 ? 1 : 0) + 0.1f * ((i * 7) % 5 - 2);
    }
    return FloatMatrix.wrap(D, D, w);
  }

  @Test
  void embed_isTheNormalisedHeadTimesTheInnerEmbedding() {
    ColourImageTower inner = ColourImageTower.seeded(D, 1);
    BufferedImage image = ColourImageTower.solid(0x336699, 4);
    float[] x = inner.embed(image).toArray();
    float[] w = head().toArray();
    float[] expected = new float[D];
    for (int r = 0; r < D; r++) {
      for (int c = 0; c < D; c++) {
        expected[r] += w[r * D + c] * x[c];
      }
    }
    try (LinearHeadImageTower tower = LinearHeadImageTower.of(inner, head())) {
      assertAllClose(
          Embedding.of(expected).toArray(), tower.embed(image).toArray(), FLOAT32_RTOL, 1e-7);
      assertNotEquals(inner.identity().checksum(), tower.identity().checksum());
    }
  }

  @Test
  void saveAndLoad_throughAModelDirectory_roundTripsTheTower() throws Exception {
    Path model = dir.resolve("model");
    BufferedImage image = ColourImageTower.solid(0x996633, 4);
    Embedding before;
    try (LitModel m =
        LitModel.of(
            LinearHeadImageTower.of(ColourImageTower.seeded(D, 2), head()),
            new HashingTextTower(D, 3),
            ScoreCalibration.SOFTMAX_DEFAULT)) {
      before = m.imageTower().embed(image);
      m.save(model);
    }
    try (LitModel loaded = LitModel.load(model)) {
      assertTrue(loaded.imageTower() instanceof LinearHeadImageTower);
      assertEquals(before, loaded.imageTower().embed(image));
    }
  }

  @Test
  void of_withHeadOfWrongWidth_namesBothDimensions() {
    ColourImageTower inner = ColourImageTower.seeded(D, 1);
    FloatMatrix wide = FloatMatrix.zeros(D, D + 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LinearHeadImageTower.of(inner, wide));
    assertTrue(
        e.getMessage().contains("6 columns") && e.getMessage().contains("4"), e.getMessage());
  }
}
