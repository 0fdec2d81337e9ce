package dev.lit4j.pytorch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextTowerConfigTest {

  @Test
  void builder_defaults_matchTheDocumentedValues() {
    TextTowerConfig c = TextTowerConfig.builder(1000, 64).build();
    assertEquals(TextTowerConfig.DEFAULT_LAYERS, c.layers());
    assertEquals(TextTowerConfig.DEFAULT_WIDTH, c.width());
    assertEquals(TextTowerConfig.DEFAULT_HEADS, c.heads());
    assertEquals(TextTowerConfig.DEFAULT_FFN_WIDTH, c.ffnWidth());
    assertEquals(16, c.maxLength());
    assertEquals(16, c.maxPositions(), "position table defaults to maxLength rows");
    assertEquals(Pooling.MEAN, c.pooling());
    assertEquals(1e-12, c.layerNormEps());
    assertEquals(64, c.headWidth());
  }

  @Test
  void toBuilder_roundTrips() {
    TextTowerConfig c =
        TextTowerConfig.builder(500, 8)
            .layers(3)
            .width(48)
            .heads(6)
            .ffnWidth(96)
            .maxLength(12)
            .maxPositions(40)
            .pooling(Pooling.CLS)
            .layerNormEps(1e-5)
            .seed(7)
            .build();
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void widthNotDivisibleByHeads_namesBoth() {
    TextTowerConfig.Builder b = TextTowerConfig.builder(100, 8).width(100).heads(7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("width = 100"), e.getMessage());
    assertTrue(e.getMessage().contains("heads = 7"), e.getMessage());
  }

  @Test
  void nonPositiveSize_isNamed() {
    TextTowerConfig.Builder b = TextTowerConfig.builder(100, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("outputDimension must be positive, got 0"), e.getMessage());
  }

  @Test
  void maxLengthBeyondPositions_namesBoth() {
    TextTowerConfig.Builder b = TextTowerConfig.builder(100, 8).maxLength(32).maxPositions(20);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("maxPositions = 20, maxLength = 32"), e.getMessage());
  }

  @Test
  void maxLengthBelowTwo_isRejected() {
    TextTowerConfig.Builder b = TextTowerConfig.builder(100, 8).maxLength(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("got 1"), e.getMessage());
  }

  @Test
  void nonFiniteEps_isRejected() {
    TextTowerConfig.Builder b = TextTowerConfig.builder(100, 8).layerNormEps(Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }
}
