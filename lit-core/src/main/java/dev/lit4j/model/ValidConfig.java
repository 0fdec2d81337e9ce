package dev.lit4j.model;

import dev.lit4j.loss.LossKind;
import dev.lit4j.zeroshot.PromptTemplates;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A {@link ModelConfig} whose fields have all been checked present and in range; {@code templates}
 * is empty when the file declares none, {@code binding} when the file predates it.
 */
record ValidConfig(
    int dimension,
    ScoreCalibration calibration,
    String imageFormat,
    String imagePath,
    TowerIdentity imageIdentity,
    String textFormat,
    String textPath,
    TowerIdentity textIdentity,
    Optional<PromptTemplates> templates,
    Optional<String> binding) {

  /**
   * Validates {@code config}, read from {@code file}.
   *
   * @throws IllegalArgumentException naming the file and the missing or bad field
   */
  static ValidConfig of(ModelConfig config, Path file) {
    if (config == null) {
      throw bad(file, "the file is empty");
    }
    if (config.formatVersion() == null) {
      throw bad(file, "'formatVersion' is missing");
    }
    if (config.formatVersion() != ModelDirectory.FORMAT_VERSION) {
      throw bad(
          file,
          "format version "
              + config.formatVersion()
              + " is not supported; this lit4j reads version "
              + ModelDirectory.FORMAT_VERSION
              + " (use the lit4j release that wrote it)");
    }
    if (config.dimension() == null || config.dimension() < 1) {
      throw bad(file, "'dimension' must be a positive integer, got " + config.dimension());
    }
    ModelConfig.Calibration c = config.calibration();
    if (c == null || c.loss() == null || c.temperature() == null || c.bias() == null) {
      throw bad(
          file,
          "'calibration' needs 'loss' (one of "
              + Arrays.toString(LossKind.values())
              + "), 'temperature' and 'bias', got "
              + c);
    }
    ScoreCalibration calibration;
    try {
      calibration = new ScoreCalibration(c.loss(), c.temperature(), c.bias());
    } catch (IllegalArgumentException e) {
      throw bad(file, "'calibration' is invalid: " + e.getMessage());
    }
    ModelConfig.Tower image = tower(config.imageTower(), "imageTower", file);
    ModelConfig.Tower text = tower(config.textTower(), "textTower", file);
    return new ValidConfig(
        config.dimension(),
        calibration,
        image.format(),
        image.path(),
        identity(image.identity(), "imageTower", file),
        text.format(),
        text.path(),
        identity(text.identity(), "textTower", file),
        templates(config, file),
        binding(config, file));
  }

  private static Optional<String> binding(ModelConfig config, Path file) {
    if (config.binding() == null) {
      return Optional.empty();
    }
    if (!ModelBinding.isWellFormed(config.binding())) {
      throw bad(
          file,
          "'binding' must be \""
              + ModelBinding.PREFIX
              + "\" followed by 64 lower-case hex digits, got '"
              + config.binding()
              + "'; the file was damaged or edited, restore the model directory as it was saved");
    }
    return Optional.of(config.binding());
  }

  private static Optional<PromptTemplates> templates(ModelConfig config, Path file) {
    if (config.templates() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new PromptTemplates(config.templates()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad(
          file,
          "'templates' is invalid: "
              + e.getMessage()
              + "; give a non-empty list of strings, each with one {}, or remove the field");
    }
  }

  private static ModelConfig.Tower tower(ModelConfig.Tower t, String field, Path file) {
    if (t == null || t.format() == null || t.path() == null || t.identity() == null) {
      throw bad(file, "'" + field + "' needs 'format', 'path' and 'identity', got " + t);
    }
    Path p = Path.of(t.path());
    if (t.path().isBlank() || p.isAbsolute() || p.normalize().startsWith("..")) {
      throw bad(
          file,
          "'"
              + field
              + ".path' is '"
              + t.path()
              + "'; it must be a subdirectory inside the model directory");
    }
    return t;
  }

  private static TowerIdentity identity(ModelConfig.Identity id, String field, Path file) {
    try {
      return new TowerIdentity(id.name(), id.checksum(), id.preprocessing());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad(file, "'" + field + ".identity' is invalid: " + e.getMessage());
    }
  }

  private static IllegalArgumentException bad(Path file, String what) {
    return new IllegalArgumentException("invalid model configuration " + file + ": " + what);
  }

  /** Resolves a validated tower path against the model directory. */
  Path towerDirectory(Path modelDirectory, String path) {
    return modelDirectory.resolve(path).normalize();
  }

  /**
   * Checks a loaded tower against the configuration.
   *
   * @throws IllegalArgumentException naming both values if the dimension or identity differs
   */
  void checkTower(String which, int towerDimension, TowerIdentity loaded, TowerIdentity expected) {
    if (towerDimension != dimension) {
      throw new IllegalArgumentException(
          "embedding dimensions differ: lit-model.json = "
              + dimension
              + ", loaded "
              + which
              + " tower = "
              + towerDimension);
    }
    if (!loaded.equals(expected)) {
      throw new IllegalArgumentException(
          which
              + " tower identity mismatch: lit-model.json expects "
              + expected
              + " but the loaded tower is "
              + loaded
              + "; the tower files were changed after the model was saved");
    }
  }

  /**
   * Checks that the loaded towers are the pair the model was saved with: the {@link ModelBinding}
   * recomputed from their identities, the dimension and the calibration must equal the recorded
   * one. Does nothing for a file without a binding (saved before the field existed).
   *
   * @throws IllegalArgumentException naming both bindings, the loaded identities and the fix
   */
  void checkBinding(TowerIdentity image, TowerIdentity text, Path file) {
    if (binding.isEmpty()) {
      return;
    }
    String loaded = ModelBinding.of(dimension, calibration, image, text);
    if (!loaded.equals(binding.get())) {
      throw new IllegalArgumentException(
          "the towers loaded from "
              + file.getParent()
              + " are not the pair this model was saved with: "
              + file.getFileName()
              + " records binding "
              + binding.get()
              + ", but the loaded image tower "
              + image.describe()
              + ", text tower "
              + text.describe()
              + ", dimension "
              + dimension
              + " and calibration "
              + calibration
              + " give "
              + loaded
              + ". A file of the model was edited after it was saved (for example the image"
              + " tower's feature layer, changed both in its tower directory and in "
              + file.getFileName()
              + "), so the text tower would meet image features it was not trained on. Restore"
              + " the model directory as it was saved, or train a text tower against this image"
              + " tower");
    }
  }
}
