package dev.lit4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeTowersTest {
  private final HashingTextTower text = new HashingTextTower(32, 1);

  @Test
  void hashingTextTower_isDeterministicAndCaseInsensitive() {
    assertEquals(text.embed("A Dog"), new HashingTextTower(32, 1).embed("a dog"));
  }

  @Test
  void hashingTextTower_makesTextsSharingWordsMoreSimilar() {
    Embedding dog = text.embed("a photo of a dog");
    assertTrue(dog.cosine(text.embed("a dog")) > dog.cosine(text.embed("a car")));
  }

  @Test
  void hashingTextTower_embedAll_rowsMatchEmbed() {
    assertEquals(text.embed("b"), text.embedAll(List.of("a", "b")).get(1));
  }

  @Test
  void hashingTextTower_afterClose_throws() {
    text.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> text.embed("a"));
    assertEquals("HashingTextTower is closed", e.getMessage());
  }

  @Test
  void colourImageTower_mapsPureColoursToTheirBasisVectors() {
    Embedding red = text.embed("red");
    ColourImageTower image = ColourImageTower.of(red, text.embed("green"), text.embed("blue"));
    assertEquals(red, image.embed(ColourImageTower.solid(0xff0000, 2)));
  }
}
