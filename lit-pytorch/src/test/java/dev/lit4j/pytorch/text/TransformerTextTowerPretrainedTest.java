package dev.lit4j.pytorch.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.pytorch.weights.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerTextTowerPretrainedTest {
  private static final List<String> TEXTS = List.of("a red kangaroo", "a drawing of a boat");

  @TempDir Path dir;

  @Test
  void save_withTheEncoderUnchanged_storesOnlyTheProjectionAndAReference() throws Exception {
    EmbeddingMatrix before;
    try (TransformerTextTower tower = TinyPretrainedEncoder.tower(8, 3)) {
      // As after projection-only training: the projection moved, the encoder did not.
      tower.namedParameters().get("projection.weight").getArray().addi(0.25f);
      before = tower.embedAll(TEXTS);
      tower.saveTo(dir);
    }
    assertEquals(
        Set.of("projection.weight", "projection.bias"),
        Safetensors.read(dir.resolve(TextTowerFiles.WEIGHTS_FILE)).keySet());
    String json = Files.readString(dir.resolve(TextTowerFiles.CONFIG_FILE));
    assertTrue(json.contains(TinyPretrainedEncoder.ID), json);
    try (TransformerTextTower loaded = TransformerTextTower.load(dir)) {
      assertEquals(before, loaded.embedAll(TEXTS));
    }
  }

  @Test
  void save_withTheEncoderChanged_storesEveryWeight() throws Exception {
    EmbeddingMatrix before;
    int parameters;
    try (TransformerTextTower tower = TinyPretrainedEncoder.tower(8, 3)) {
      tower.namedParameters().get("encoder.layer.0.output.dense.bias").getArray().addi(0.1f);
      before = tower.embedAll(TEXTS);
      parameters = tower.namedParameters().size();
      tower.saveTo(dir);
    }
    assertEquals(parameters, Safetensors.read(dir.resolve(TextTowerFiles.WEIGHTS_FILE)).size());
    assertFalse(
        Files.readString(dir.resolve(TextTowerFiles.CONFIG_FILE)).contains("pretrainedEncoder"));
    try (TransformerTextTower loaded = TransformerTextTower.load(dir)) {
      assertEquals(before, loaded.embedAll(TEXTS));
    }
  }

  @Test
  void load_withAnEncoderNotOnTheClassPath_namesTheArtifactToAdd() throws Exception {
    try (TransformerTextTower tower = TinyPretrainedEncoder.tower(8, 3)) {
      tower.saveTo(dir);
    }
    Path config = dir.resolve(TextTowerFiles.CONFIG_FILE);
    Files.writeString(
        config, Files.readString(config).replace(TinyPretrainedEncoder.ID, "someone/else"));
    IOException e = assertThrows(IOException.class, () -> TransformerTextTower.load(dir));
    assertTrue(
        e.getMessage().contains("someone/else")
            && e.getMessage().contains("add the dependency " + TinyPretrainedEncoder.ARTIFACT),
        e.getMessage());
  }

  @Test
  void load_withEncoderWeightsOtherThanTheTrainedOnes_isRefused() throws Exception {
    try (TransformerTextTower tower = TinyPretrainedEncoder.tower(8, 3)) {
      tower.saveTo(dir);
    }
    Path config = dir.resolve(TextTowerFiles.CONFIG_FILE);
    String json = Files.readString(config);
    String digest = json.replaceAll("(?s).*\"sha256\": \"([0-9a-f]+)\".*", "$1");
    Files.writeString(config, json.replace(digest, "0".repeat(digest.length())));
    IOException e = assertThrows(IOException.class, () -> TransformerTextTower.load(dir));
    assertTrue(e.getMessage().contains("SHA-256 " + digest), e.getMessage());
  }
}
