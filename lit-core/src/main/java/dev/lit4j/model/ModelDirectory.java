package dev.lit4j.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.SavableTower;
import dev.lit4j.spi.TextTowerFormat;
import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes LiT model directories:
 *
 * <pre>
 * my-model/
 *   lit-model.json      format version, dimension, calibration, per tower: format id,
 *                       subdirectory and identity; optionally "templates", the prompt
 *                       templates the model declares for zero-shot classification;
 *                       "binding", a SHA-256 over both identities, the dimension and the
 *                       calibration ({@link ModelBinding})
 *   image-tower/        written by the image tower's {@link SavableTower#saveTo}
 *   text-tower/         written by the text tower's {@link SavableTower#saveTo}
 * </pre>
 *
 * <p>Towers are loaded by the {@link ImageTowerFormat} or {@link TextTowerFormat} service provider
 * whose id the JSON names ({@link TowerFormats}). The layout and the atomic replacement are
 * described on {@link #save}.
 */
final class ModelDirectory {
  /** The only directory format version this code reads and writes. */
  static final int FORMAT_VERSION = 1;

  static final String CONFIG_FILE = "lit-model.json";
  static final String IMAGE_TOWER_DIR = "image-tower";
  static final String TEXT_TOWER_DIR = "text-tower";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private ModelDirectory() {}

  /**
   * Loads the model in {@code directory}. Each loaded tower's identity must equal the one {@code
   * lit-model.json} records, and the {@link ModelBinding} recomputed from the loaded towers must
   * equal the recorded {@code "binding"} (directories saved before the field existed have none and
   * skip that check). If a step fails after a tower was loaded, the loaded towers are closed before
   * the exception propagates.
   *
   * @throws NoSuchFileException naming {@code lit-model.json}'s path if it is missing
   * @throws IllegalArgumentException if the JSON is malformed or inconsistent with the towers, or
   *     the towers are not the pair the model was saved with (both bindings are named)
   */
  static LitModel load(Path directory) throws IOException {
    return load(directory, TowerFormats.fromServiceLoader());
  }

  /** {@link #load(Path)} with the given tower formats instead of the service providers. */
  static LitModel load(Path directory, TowerFormats formats) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(formats, "formats");
    Path configFile = directory.resolve(CONFIG_FILE);
    if (!Files.isRegularFile(configFile)) {
      throw new NoSuchFileException(
          configFile.toString(), null, "not a lit4j model directory: " + CONFIG_FILE + " missing");
    }
    ModelConfig config;
    try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
      config = GSON.fromJson(reader, ModelConfig.class);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          configFile + " is not valid JSON: " + e.getMessage() + "; re-save the model", e);
    }
    ValidConfig valid = ValidConfig.of(config, configFile);
    ImageTower image = null;
    TextTower text = null;
    try {
      image =
          formats
              .image(valid.imageFormat())
              .loadImageTower(valid.towerDirectory(directory, valid.imagePath()));
      valid.checkTower("image", image.dimension(), image.identity(), valid.imageIdentity());
      text =
          formats
              .text(valid.textFormat())
              .loadTextTower(valid.towerDirectory(directory, valid.textPath()));
      valid.checkTower("text", text.dimension(), text.identity(), valid.textIdentity());
      valid.checkBinding(image.identity(), text.identity(), configFile);
      return new ComposedLitModel(image, text, valid.calibration(), valid.templates());
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(text, e);
      closeQuietly(image, e);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable tower, Throwable primary) {
    if (tower == null) {
      return;
    }
    try {
      tower.close();
    } catch (Exception suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  /**
   * Saves {@code model} to {@code directory}. Everything is first written to a hidden sibling
   * temporary directory, which then replaces {@code directory} by rename: readers see either the
   * old model or the complete new one, never a partial write. An existing {@code directory} is
   * replaced only if it is empty or holds a {@code lit-model.json} (so a mistyped path cannot wipe
   * unrelated files); its previous contents, including files that are not part of a model, are
   * deleted. If the process dies between the two renames the previous model survives in a sibling
   * named {@code .<name>.old-*}, which the next save into the same parent directory renames back
   * ({@link dev.lit4j.io.AtomicDirectory#removeAbandoned}).
   *
   * @throws UnsupportedOperationException naming the tower class if a tower is not a {@link
   *     SavableTower}
   * @throws IllegalArgumentException if {@code directory} exists and is not a model directory
   */
  static void save(LitModel model, Path directory) throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(directory, "directory");
    ImageTower image = model.imageTower();
    TextTower text = model.textTower();
    SavableTower savableImage = savable(image, "image");
    SavableTower savableText = savable(text, "text");
    ScoreCalibration calibration = model.calibration();
    ModelConfig config =
        new ModelConfig(
            FORMAT_VERSION,
            model.dimension(),
            new ModelConfig.Calibration(
                calibration.loss(), calibration.temperature(), calibration.bias()),
            new ModelConfig.Tower(
                savableImage.formatId(),
                IMAGE_TOWER_DIR,
                ModelConfig.Identity.of(image.identity())),
            new ModelConfig.Tower(
                savableText.formatId(), TEXT_TOWER_DIR, ModelConfig.Identity.of(text.identity())),
            model.promptTemplates().map(PromptTemplates::templates).orElse(null),
            ModelBinding.of(model.dimension(), calibration, image.identity(), text.identity()));
    AtomicDirectory.replace(
        directory,
        staging -> {
          Path imageDir = Files.createDirectory(staging.resolve(IMAGE_TOWER_DIR));
          savableImage.saveTo(imageDir);
          Path textDir = Files.createDirectory(staging.resolve(TEXT_TOWER_DIR));
          savableText.saveTo(textDir);
          Files.writeString(staging.resolve(CONFIG_FILE), GSON.toJson(config) + "\n");
        },
        CONFIG_FILE);
  }

  private static SavableTower savable(Object tower, String which) {
    if (tower instanceof SavableTower s) {
      return s;
    }
    throw new UnsupportedOperationException(
        "the "
            + which
            + " tower "
            + tower.getClass().getName()
            + " cannot be saved: it does not implement "
            + SavableTower.class.getName());
  }
}
