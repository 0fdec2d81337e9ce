package dev.lit4j.pytorch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.loss.LossKind;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.testing.HashingTextTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 7: a model saved with the default MobileNetV2 tower ({@value
 * MobileNetV2Tower#DEFAULT_LAYER}) whose feature layer is edited to another 576-d layer in both
 * {@code mobilenet-v2.json} and {@code lit-model.json} must not load, since its text tower was
 * trained on the saved layer's features. Real tower, real files; nothing is trained (the text tower
 * is lit-core's hashing fake, which saves and loads like any tower).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MobileNetV2ModelBindingTest {
  private static final String SAVED_LAYER = MobileNetV2Tower.DEFAULT_LAYER;
  private static final String OTHER_LAYER = "block_12_expand_relu";
  private static final ScoreCalibration CALIBRATION =
      new ScoreCalibration(LossKind.SOFTMAX, 14.25, 0);

  private MobileNetV2Tower image;
  private HashingTextTower text;

  @BeforeAll
  void loadTowers() {
    image = MobileNetV2Tower.load();
    text = new HashingTextTower(image.dimension(), 5);
  }

  @AfterAll
  void closeTowers() {
    text.close();
    image.close();
  }

  /** Saves the model; not closed, since closing a LitModel would close the shared towers. */
  private Path saved(Path dir) throws IOException {
    LitModel.of(image, text, CALIBRATION).save(dir);
    return dir;
  }

  private static void replaceLayer(Path file) throws IOException {
    String before = Files.readString(file);
    String after = before.replace(SAVED_LAYER, OTHER_LAYER);
    assertFalse(before.equals(after), file + " does not name " + SAVED_LAYER);
    Files.writeString(file, after);
  }

  private static Path towerReference(Path model) {
    return model.resolve("image-tower").resolve(MobileNetV2TowerFormat.REFERENCE_FILE);
  }

  @Test
  void theOtherLayer_hasTheSameDimension_soOnlyTheIdentityCanTellThemApart() {
    try (MobileNetV2Tower other = MobileNetV2Tower.load(OTHER_LAYER)) {
      assertEquals(image.dimension(), other.dimension());
      assertEquals(image.identity().checksum(), other.identity().checksum());
    }
  }

  @Test
  void load_ofTheModelAsSaved_givesTheSameTowers(@TempDir Path dir) throws IOException {
    try (LitModel loaded = LitModel.load(saved(dir))) {
      assertEquals(image.identity(), loaded.imageTower().identity());
      assertEquals(text.identity(), loaded.textTower().identity());
      assertEquals(CALIBRATION, loaded.calibration());
    }
  }

  @Test
  void load_afterTheFeatureLayerIsSwappedInBothJsonFiles_refusesNamingBothBindingsAndTheFix(
      @TempDir Path dir) throws IOException {
    Path model = saved(dir);
    Path config = model.resolve("lit-model.json");
    String recorded =
        JsonParser.parseString(Files.readString(config))
            .getAsJsonObject()
            .get("binding")
            .getAsString();
    replaceLayer(towerReference(model));
    replaceLayer(config);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(model));

    String m = e.getMessage();
    assertTrue(m.contains("records binding " + recorded), m);
    assertTrue(m.matches("(?s).* give sha256:[0-9a-f]{64}\\..*"), m);
    assertFalse(m.contains("give " + recorded), m);
    assertTrue(m.contains("'nsfwjs-4.3.0/mobilenet_v2/" + OTHER_LAYER + "'"), m);
    assertTrue(m.contains(text.identity().describe()), m);
    assertTrue(m.contains("feature layer"), m);
    assertTrue(m.contains("Restore the model directory as it was saved"), m);
  }

  @Test
  void load_afterTheLayerIsSwappedInTheTowerFileOnly_namesBothIdentities(@TempDir Path dir)
      throws IOException {
    Path model = saved(dir);
    replaceLayer(towerReference(model));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(model));
    assertTrue(e.getMessage().contains("image tower identity mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("features=" + SAVED_LAYER), e.getMessage());
    assertTrue(e.getMessage().contains("features=" + OTHER_LAYER), e.getMessage());
  }

  @Test
  void load_ofADirectorySavedBeforeTheBindingExisted_stillLoads(@TempDir Path dir)
      throws IOException {
    Path model = saved(dir);
    Path config = model.resolve("lit-model.json");
    JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
    json.remove("binding");
    Files.writeString(config, json.toString());
    try (LitModel loaded = LitModel.load(model)) {
      assertEquals(image.identity(), loaded.imageTower().identity());
    }
  }
}
