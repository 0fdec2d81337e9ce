package dev.lit4j.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A LiT model: a locked {@link ImageTower}, a trained {@link TextTower} in the same embedding
 * space, and the learned {@link ScoreCalibration}.
 *
 * <p>A model owns its towers: {@link #close()} closes both. Typical use:
 *
 * <pre>{@code
 * try (LitModel model = LitModel.load(Path.of("my-model"))) {
 *   ZeroShotClassifier classifier = ZeroShotClassifier.of(model, List.of("cat", "dog"));
 *   ClassScores scores = classifier.classify(image);
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe when both towers are.
 */
public interface LitModel extends AutoCloseable {

  /** Returns the locked image tower. */
  ImageTower imageTower();

  /** Returns the text tower. */
  TextTower textTower();

  /** Returns how similarities become scores (loss kind, temperature, bias). */
  ScoreCalibration calibration();

  /** Returns the shared embedding dimension of both towers. */
  default int dimension() {
    return imageTower().dimension();
  }

  /**
   * Writes this model to {@code directory} (created if absent): {@code lit-model.json} plus each
   * tower's files in {@code image-tower/} and {@code text-tower/}. The directory is written as a
   * whole into a sibling temporary directory and renamed into place, so readers never see a partial
   * model. An existing model directory there is replaced entirely (files in it that are not part of
   * the new model are deleted); a non-empty directory without {@code lit-model.json} is never
   * replaced.
   *
   * @throws IOException if writing fails
   * @throws UnsupportedOperationException naming the tower class if a tower cannot be saved
   * @throws IllegalArgumentException if {@code directory} is a non-empty directory that holds no
   *     {@code lit-model.json}
   * @throws IllegalStateException if the model is closed
   */
  void save(Path directory) throws IOException;

  /** Closes both towers; idempotent. */
  @Override
  void close();

  /**
   * Joins two towers into a model that owns them.
   *
   * @throws IllegalArgumentException if the towers' dimensions differ (both are named)
   */
  static LitModel of(ImageTower imageTower, TextTower textTower, ScoreCalibration calibration) {
    return new ComposedLitModel(imageTower, textTower, calibration);
  }

  /**
   * Loads a model directory written by {@link #save(Path)}; tower formats are found through {@link
   * dev.lit4j.spi.TowerFormat} service providers on the class path.
   *
   * @throws java.nio.file.NoSuchFileException if the directory or {@code lit-model.json} is missing
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the directory is inconsistent (names what is wrong), or a
   *     tower format has no provider (names the format and the module to add)
   */
  static LitModel load(Path directory) throws IOException {
    return ModelDirectory.load(directory);
  }
}
