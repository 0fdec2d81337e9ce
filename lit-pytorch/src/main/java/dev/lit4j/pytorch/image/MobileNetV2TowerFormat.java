package dev.lit4j.pytorch.image;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.model.ImageTower;
import dev.lit4j.spi.ImageTowerFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link ImageTowerFormat} {@value #FORMAT_ID}: a tower directory holding {@value #REFERENCE_FILE},
 * a reference to the MobileNetV2 shipped in {@code lit-models} (model name, layer, weights
 * SHA-256). Loading checks the checksum so a model directory never silently pairs with other
 * weights.
 *
 * <p>Stateless and thread-safe; registered through {@code META-INF/services}.
 */
public final class MobileNetV2TowerFormat implements ImageTowerFormat {

  /** The format id written into {@code lit-model.json}. */
  public static final String FORMAT_ID = "lit4j-mobilenet-v2";

  /** The reference file inside the tower directory. */
  public static final String REFERENCE_FILE = "mobilenet-v2.json";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public MobileNetV2TowerFormat() {}

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  /**
   * Loads the referenced tower.
   *
   * @throws java.nio.file.NoSuchFileException if {@value #REFERENCE_FILE} is missing
   * @throws IllegalArgumentException if the reference is malformed, names another model, or its
   *     checksum differs from the shipped weights
   */
  @Override
  public ImageTower loadImageTower(Path towerDirectory) throws IOException {
    Path file = towerDirectory.resolve(REFERENCE_FILE);
    String text = TowerFiles.readRequired(file, "MobileNetV2 tower reference");
    String model;
    String layer;
    String sha256;
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      model = o.get("model").getAsString();
      layer = o.get("layer").getAsString();
      sha256 = o.get("sha256").getAsString();
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IllegalArgumentException(
          file + " must be a JSON object with string fields model, layer and sha256", e);
    }
    if (!model.equals(MobileNetV2Tower.MODEL_NAME)) {
      throw new IllegalArgumentException(
          file
              + " references model '"
              + model
              + "'; this format provides only "
              + MobileNetV2Tower.MODEL_NAME);
    }
    MobileNetV2Tower tower = MobileNetV2Tower.load(layer);
    if (!tower.identity().checksum().equals(sha256)) {
      String actual = tower.identity().checksum();
      tower.close();
      throw new IllegalArgumentException(
          file
              + " expects weights with SHA-256 "
              + sha256
              + " but lit-models ships "
              + actual
              + "; use the lit-models version the model was saved with");
    }
    return tower;
  }
}
