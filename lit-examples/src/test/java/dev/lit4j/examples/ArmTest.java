package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.training.ImageTraining;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Arm}: the grid, the paper's codes and the resolution check; no engine. */
class ArmTest {

  @Test
  void grid_isTheSixArmsInPaperNotation_imageLetterFirst() {
    List<Arm> grid = Arm.grid(112);
    assertEquals(
        List.of("LU", "Lu", "UU", "Uu", "uU", "uu"), grid.stream().map(Arm::code).toList());
    grid.forEach(a -> assertEquals(112, a.resolution()));
  }

  @Test
  void imageSettings_mapToInitAndTraining() {
    assertEquals(Init.PRETRAINED, Arm.ImageSetting.LOCKED.init());
    assertEquals(ImageTraining.LOCKED, Arm.ImageSetting.LOCKED.training());
    assertEquals(Init.PRETRAINED, Arm.ImageSetting.UNLOCKED.init());
    assertEquals(ImageTraining.UNLOCKED, Arm.ImageSetting.UNLOCKED.training());
    assertEquals(Init.RANDOM, Arm.ImageSetting.SCRATCH.init());
    assertEquals(ImageTraining.UNLOCKED, Arm.ImageSetting.SCRATCH.training());
  }

  @Test
  void reference_isLitAtFullResolution() {
    Arm ref = Arm.reference(Arm.ImageSetting.LOCKED);
    assertEquals("LU", ref.code());
    assertEquals(Arm.FULL_RESOLUTION, ref.resolution());
    assertTrue(ref.describe().contains("224px"), ref.describe());
  }

  @Test
  void arm_belowTheMinimumResolution_throwsNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Arm(Arm.ImageSetting.LOCKED, Arm.TextSetting.MINILM, 16));
    assertTrue(e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void parse_readsTheCodeAndAnOptionalResolution_andNamesTheValidCodesOtherwise() {
    assertEquals(
        new Arm(Arm.ImageSetting.UNLOCKED, Arm.TextSetting.SCRATCH, 112), Arm.parse("Uu", 112));
    assertEquals(Arm.reference(Arm.ImageSetting.LOCKED), Arm.parse(" LU@224 ", 112));
    for (Arm arm : Arm.grid(96)) {
      assertEquals(arm, Arm.parse(arm.code(), 96));
    }
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("lu", 112));
    assertTrue(
        unknown.getMessage().contains("unknown arm 'lu'")
            && unknown.getMessage().contains("[LU, Lu, UU, Uu, uU, uu]"),
        unknown.getMessage());
    IllegalArgumentException px =
        assertThrows(IllegalArgumentException.class, () -> Arm.parse("LU@big", 112));
    assertTrue(px.getMessage().contains("'big' is not a resolution"), px.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Arm.parse("LU@16", 112));
  }
}
