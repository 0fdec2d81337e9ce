package dev.lit4j.model;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.spi.SavableTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The files of an image tower that wraps another one (a trained head, a fixed whitening): a JSON
 * configuration naming the inner tower's format, and the inner tower saved in {@code inner/}.
 */
final class WrappedTowerFiles {
  private static final String INNER_DIR = "inner";
  private static final String INNER_FORMAT = "innerFormat";
  private static final Gson GSON = new Gson();

  private WrappedTowerFiles() {}

  /**
   * Writes {@code config} (with the inner format added) to {@code configFile} atomically and saves
   * {@code inner} into {@code inner/}.
   *
   * @throws UnsupportedOperationException if the inner tower is not a {@link SavableTower}
   * @throws IOException if a file cannot be written
   */
  static void save(ImageTower inner, Path towerDirectory, String configFile, JsonObject config)
      throws IOException {
    if (!(inner instanceof SavableTower savable)) {
      throw new UnsupportedOperationException(
          "the inner tower " + inner.getClass().getName() + " cannot be saved");
    }
    config.addProperty(INNER_FORMAT, savable.formatId());
    AtomicFiles.writeString(towerDirectory.resolve(configFile), GSON.toJson(config) + "\n");
    savable.saveTo(Files.createDirectories(towerDirectory.resolve(INNER_DIR)));
  }

  /**
   * Reads the JSON configuration {@code configFile}.
   *
   * @throws NoSuchFileException if it is missing ({@code what} names the tower kind)
   * @throws IOException if it is not a JSON object
   */
  static JsonObject readConfig(Path towerDirectory, String configFile, String what)
      throws IOException {
    Path file = towerDirectory.resolve(configFile);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, what + " config missing");
    }
    try {
      JsonObject config = GSON.fromJson(Files.readString(file), JsonObject.class);
      if (config == null) {
        throw new IOException(file + " is empty");
      }
      return config;
    } catch (JsonParseException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Loads the inner tower named by {@code config} and wraps it; the inner tower is closed if
   * wrapping fails.
   *
   * @throws IOException if the inner tower cannot be loaded or the configuration names no format
   */
  static <T extends ImageTower> T loadInner(
      Path towerDirectory, JsonObject config, Function<ImageTower, T> wrap) throws IOException {
    if (!config.has(INNER_FORMAT)) {
      throw new IOException(
          towerDirectory + " holds a wrapped tower whose config lacks '" + INNER_FORMAT + "'");
    }
    ImageTower inner =
        TowerFormats.fromServiceLoader()
            .image(config.get(INNER_FORMAT).getAsString())
            .loadImageTower(towerDirectory.resolve(INNER_DIR));
    try {
      return wrap.apply(inner);
    } catch (RuntimeException e) {
      inner.close();
      throw e;
    }
  }
}
