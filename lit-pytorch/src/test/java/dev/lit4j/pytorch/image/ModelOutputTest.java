package dev.lit4j.pytorch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelOutputTest {

  @Test
  void describeAndParse_roundTrip() {
    for (ModelOutput o :
        new ModelOutput[] {ModelOutput.only(), ModelOutput.index(3), ModelOutput.key("pooled")}) {
      assertEquals(o, ModelOutput.parse(o.describe()));
    }
    assertEquals("index:3", ModelOutput.index(3).describe());
  }

  @Test
  void invalidSelections_nameTheBadValue() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> ModelOutput.index(-1));
    assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelOutput.key(" "));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> ModelOutput.parse("first"));
    assertTrue(unknown.getMessage().contains("'first'"), unknown.getMessage());
    IllegalArgumentException badIndex =
        assertThrows(IllegalArgumentException.class, () -> ModelOutput.parse("index:x"));
    assertTrue(badIndex.getMessage().contains("index:x"), badIndex.getMessage());
  }
}
