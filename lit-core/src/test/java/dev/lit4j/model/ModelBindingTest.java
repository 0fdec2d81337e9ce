package dev.lit4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.io.Checksums;
import dev.lit4j.loss.LossKind;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelBindingTest {
  private static final ScoreCalibration CALIBRATION =
      new ScoreCalibration(LossKind.SOFTMAX, 12.5, 0);
  private static final TowerIdentity IMAGE =
      new TowerIdentity(
          "nsfwjs-4.3.0/mobilenet_v2/block_13_expand_relu",
          "74b777d240a10f8bca4e3fe2868c5208a667d7e351a114d4540865336086b1e0",
          "size=224;features=block_13_expand_relu;pool=global-average;l2");
  private static final TowerIdentity TEXT =
      new TowerIdentity("transformer-text", "sha256:0123", "wordpiece;len=16");

  @Test
  void of_isSha256HexWithPrefix_andDeterministic() {
    String b = ModelBinding.of(576, CALIBRATION, IMAGE, TEXT);
    assertTrue(ModelBinding.isWellFormed(b), b);
    assertEquals(b, ModelBinding.of(576, CALIBRATION, IMAGE, TEXT));
  }

  @Test
  void of_changesWithEveryPartItCovers() {
    TowerIdentity layer12 =
        new TowerIdentity(
            "nsfwjs-4.3.0/mobilenet_v2/block_12_expand_relu",
            IMAGE.checksum(),
            "size=224;features=block_12_expand_relu;pool=global-average;l2");
    List<String> variants =
        List.of(
            ModelBinding.of(576, CALIBRATION, IMAGE, TEXT),
            ModelBinding.of(575, CALIBRATION, IMAGE, TEXT),
            ModelBinding.of(576, new ScoreCalibration(LossKind.SIGMOID, 12.5, 0), IMAGE, TEXT),
            ModelBinding.of(576, new ScoreCalibration(LossKind.SOFTMAX, 12.6, 0), IMAGE, TEXT),
            ModelBinding.of(576, new ScoreCalibration(LossKind.SOFTMAX, 12.5, 1), IMAGE, TEXT),
            ModelBinding.of(576, CALIBRATION, layer12, TEXT),
            ModelBinding.of(
                576,
                CALIBRATION,
                new TowerIdentity(IMAGE.name(), "other", IMAGE.preprocessing()),
                TEXT),
            ModelBinding.of(
                576,
                CALIBRATION,
                new TowerIdentity(IMAGE.name(), IMAGE.checksum(), IMAGE.preprocessing() + ";x"),
                TEXT),
            ModelBinding.of(576, CALIBRATION, TEXT, IMAGE));
    Set<String> distinct = variants.stream().collect(Collectors.toSet());
    assertEquals(variants.size(), distinct.size(), variants.toString());
  }

  @Test
  void of_isNotFooledByMovingCharactersBetweenFields() {
    TowerIdentity a = new TowerIdentity("ab", "c", "d");
    TowerIdentity b = new TowerIdentity("a", "bc", "d");
    assertNotEquals(
        ModelBinding.of(8, CALIBRATION, a, TEXT), ModelBinding.of(8, CALIBRATION, b, TEXT));
  }

  @Test
  void of_treatsNegativeZeroBiasAsZero() {
    assertEquals(
        ModelBinding.of(8, new ScoreCalibration(LossKind.SOFTMAX, 10, 0.0), IMAGE, TEXT),
        ModelBinding.of(8, new ScoreCalibration(LossKind.SOFTMAX, 10, -0.0), IMAGE, TEXT));
  }

  @Test
  void isWellFormed_acceptsOnlyPrefixAnd64LowerCaseHexDigits() {
    String hex = Checksums.sha256Hex(new byte[] {1});
    assertTrue(ModelBinding.isWellFormed("sha256:" + hex));
    assertFalse(ModelBinding.isWellFormed(hex));
    assertFalse(ModelBinding.isWellFormed("sha256:" + hex.toUpperCase()));
    assertFalse(ModelBinding.isWellFormed("sha256:" + hex.substring(1)));
    assertFalse(ModelBinding.isWellFormed("sha256:" + hex + "0"));
  }
}
