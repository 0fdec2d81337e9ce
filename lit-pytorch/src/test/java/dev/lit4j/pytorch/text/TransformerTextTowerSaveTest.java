package dev.lit4j.pytorch.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.model.TextTower;
import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.TextTowerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerTextTowerSaveTest {
  @TempDir Path dir;

  private static final List<String> TEXTS =
      List.of("a red kangaroo", "", "\uD83E\uDD98 emoji", "word ".repeat(100));

  @Test
  void saveThenLoad_givesIdenticalWeightsAndEmbeddings() throws IOException {
    TextTowerConfig config = TestTowers.tiny(12).pooling(Pooling.CLS).seed(17).build();
    try (TransformerTextTower tower =
        TransformerTextTower.create(config, TestTowers.tokenizer(16))) {
      tower.saveTo(dir);
      try (var files = Files.list(dir)) {
        assertEquals(
            List.of("text-tower.json", "text-tower.safetensors", "tokenizer.json"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
      try (TransformerTextTower back = TransformerTextTower.load(dir)) {
        assertEquals(config, back.config());
        assertEquals(tower.weights(), back.weights());
        assertEquals(tower.identity(), back.identity());
        assertArrayEquals(
            tower.embedAll(TEXTS).matrix().toArray(), back.embedAll(TEXTS).matrix().toArray());
      }
    }
  }

  @Test
  void serviceLoader_findsTheFormat_whichLoadsTheTower() throws IOException {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 4)) {
      tower.saveTo(dir);
      assertEquals("lit4j-transformer-text", tower.formatId());
      TextTowerFormat format =
          ServiceLoader.load(TextTowerFormat.class).stream()
              .map(ServiceLoader.Provider::get)
              .filter(f -> f.formatId().equals(tower.formatId()))
              .findFirst()
              .orElseThrow();
      try (TextTower loaded = format.loadTextTower(dir)) {
        assertEquals(tower.embed("a cat"), loaded.embed("a cat"));
      }
      assertTrue(
          ServiceLoader.load(ImageTowerFormat.class).stream()
              .noneMatch(p -> p.get().formatId().equals(tower.formatId())),
          "a text format is not offered as an image format");
    }
  }

  @Test
  void missingConfig_isNamed() throws IOException {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 4)) {
      tower.saveTo(dir);
    }
    Files.delete(dir.resolve("text-tower.json"));
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> TransformerTextTower.load(dir));
    assertTrue(e.getMessage().contains("text-tower.json"), e.getMessage());
  }

  @Test
  void weightsOfAnotherArchitecture_areReportedAsInconsistent() throws IOException {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 4)) {
      tower.saveTo(dir);
    }
    String json = Files.readString(dir.resolve("text-tower.json"));
    Files.writeString(
        dir.resolve("text-tower.json"), json.replace("\"layers\": 2", "\"layers\": 3"));
    IOException e = assertThrows(IOException.class, () -> TransformerTextTower.load(dir));
    assertTrue(e.getMessage().contains("encoder.layer.2"), e.getMessage());
  }

  @Test
  void otherFormatId_isRejected() throws IOException {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 4)) {
      tower.saveTo(dir);
    }
    String json = Files.readString(dir.resolve("text-tower.json"));
    Files.writeString(
        dir.resolve("text-tower.json"), json.replace("lit4j-transformer-text", "something-else"));
    IOException e = assertThrows(IOException.class, () -> TransformerTextTower.load(dir));
    assertTrue(e.getMessage().contains("'something-else'"), e.getMessage());
  }

  @Test
  void saveAfterClose_throws() {
    TransformerTextTower tower = TestTowers.tinyTower(8, 4);
    tower.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tower.saveTo(dir));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }
}
