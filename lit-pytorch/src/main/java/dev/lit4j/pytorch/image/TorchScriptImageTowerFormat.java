package dev.lit4j.pytorch.image;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.io.Checksums;
import dev.lit4j.model.ImageTower;
import dev.lit4j.spi.ImageTowerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link ImageTowerFormat} {@value #FORMAT_ID}: a tower directory holding the TorchScript model
 * ({@value #MODEL_FILE}) and {@value #CONFIG_FILE} (preprocessing, output selection, pooling and
 * the model's SHA-256, checked on load).
 *
 * <p>Stateless and thread-safe; registered through {@code META-INF/services}.
 */
public final class TorchScriptImageTowerFormat implements ImageTowerFormat {

  /** The format id written into {@code lit-model.json}. */
  public static final String FORMAT_ID = "lit4j-torchscript-image";

  /** The TorchScript file inside the tower directory. */
  public static final String MODEL_FILE = "model.pt";

  /** The configuration file inside the tower directory. */
  public static final String CONFIG_FILE = "torchscript-image-tower.json";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public TorchScriptImageTowerFormat() {}

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  /**
   * Loads the tower.
   *
   * @throws java.nio.file.NoSuchFileException if a file is missing (named)
   * @throws IllegalArgumentException if the configuration is malformed or the model's checksum
   *     differs from the recorded one
   */
  @Override
  public ImageTower loadImageTower(Path towerDirectory) throws IOException {
    Path configFile = towerDirectory.resolve(CONFIG_FILE);
    String text = TowerFiles.readRequired(configFile, "TorchScript tower configuration");
    ImagePreprocessing preprocessing;
    ModelOutput output;
    FeaturePooling pooling;
    String sha256;
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      preprocessing = ImagePreprocessing.fromJson(o.get("preprocessing").toString());
      output = ModelOutput.parse(o.get("output").getAsString());
      pooling = FeaturePooling.valueOf(o.get("pooling").getAsString());
      sha256 = o.get("sha256").getAsString();
    } catch (JsonParseException | IllegalStateException | NullPointerException e) {
      throw new IllegalArgumentException(
          configFile + " must be a JSON object with preprocessing, output, pooling and sha256", e);
    }
    Path modelFile = towerDirectory.resolve(MODEL_FILE);
    if (Files.isRegularFile(modelFile)) {
      String actual = Checksums.sha256Hex(modelFile);
      if (!actual.equals(sha256)) {
        throw new IllegalArgumentException(
            modelFile
                + " has SHA-256 "
                + actual
                + " but "
                + configFile
                + " records "
                + sha256
                + "; the model file was replaced or corrupted");
      }
    }
    return TorchScriptImageTower.load(modelFile, preprocessing, output, pooling);
  }
}
