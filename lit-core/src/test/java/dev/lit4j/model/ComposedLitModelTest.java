package dev.lit4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import org.junit.jupiter.api.Test;

class ComposedLitModelTest {

  @Test
  void close_closesBothTowersOnceEvenWhenCalledTwice() {
    ColourImageTower image = ColourImageTower.seeded(4, 1);
    HashingTextTower text = new HashingTextTower(4, 1);
    LitModel model = LitModel.of(image, text, ScoreCalibration.SOFTMAX_DEFAULT);
    model.close();
    model.close();
    assertEquals(1, image.closeCalls());
    assertEquals(1, text.closeCalls());
    assertTrue(image.isClosed() && text.isClosed());
  }

  @Test
  void towers_afterClose_throw() {
    LitModel model =
        LitModel.of(
            ColourImageTower.seeded(4, 1),
            new HashingTextTower(4, 1),
            ScoreCalibration.SOFTMAX_DEFAULT);
    model.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, model::textTower);
    assertEquals("LitModel is closed", e.getMessage());
    assertThrows(IllegalStateException.class, model::imageTower);
  }

  @Test
  void of_withDifferentDimensions_namesBoth() {
    ColourImageTower image = ColourImageTower.seeded(4, 1);
    HashingTextTower text = new HashingTextTower(6, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LitModel.of(image, text, ScoreCalibration.SOFTMAX_DEFAULT));
    assertTrue(
        e.getMessage().startsWith("embedding dimensions differ: image tower = 4, text tower = 6"),
        e.getMessage());
  }
}
