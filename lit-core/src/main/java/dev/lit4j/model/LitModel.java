package dev.lit4j.model;

import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

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

  /** {@return the locked image tower} */
  ImageTower imageTower();

  /** {@return the text tower} */
  TextTower textTower();

  /** {@return how similarities become scores (loss kind, temperature, bias)} */
  ScoreCalibration calibration();

  /**
   * {@return the prompt templates this model declares for zero-shot classification ({@code
   * "templates"} in {@code lit-model.json}), used by {@link dev.lit4j.zeroshot.ZeroShotClassifier}
   * unless others are given; empty when the model declares none} Works after {@link #close()}.
   */
  default Optional<PromptTemplates> promptTemplates() {
    return Optional.empty();
  }

  /** {@return the shared embedding dimension of both towers} */
  default int dimension() {
    return imageTower().dimension();
  }

  /**
   * Writes this model to {@code directory} (created if absent): {@code lit-model.json} (with the
   * {@linkplain #promptTemplates() prompt templates} when there are any) plus each tower's files in
   * {@code image-tower/} and {@code text-tower/}. The directory is written as a whole into a
   * sibling temporary directory and renamed into place, so readers never see a partial model. An
   * existing model directory there is replaced entirely (files in it that are not part of the new
   * model are deleted); a non-empty directory without {@code lit-model.json} is never replaced.
   *
   * @param directory where to write the model
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
   * @param imageTower the locked image tower
   * @param textTower the text tower
   * @param calibration how similarities become scores
   * @return the model; closing it closes both towers
   * @throws IllegalArgumentException if the towers' dimensions differ (both are named)
   */
  static LitModel of(ImageTower imageTower, TextTower textTower, ScoreCalibration calibration) {
    return new ComposedLitModel(imageTower, textTower, calibration, Optional.empty());
  }

  /**
   * Joins two towers into a model that owns them and declares {@code templates} as its {@linkplain
   * #promptTemplates() prompt templates}; {@link #save(Path)} writes them into {@code
   * lit-model.json}.
   *
   * @param imageTower the locked image tower
   * @param textTower the text tower
   * @param calibration how similarities become scores
   * @param templates the prompt templates the model declares
   * @return the model; closing it closes both towers
   * @throws IllegalArgumentException if the towers' dimensions differ (both are named)
   */
  static LitModel of(
      ImageTower imageTower,
      TextTower textTower,
      ScoreCalibration calibration,
      PromptTemplates templates) {
    Objects.requireNonNull(templates, "templates");
    return new ComposedLitModel(imageTower, textTower, calibration, Optional.of(templates));
  }

  /**
   * Loads a model directory written by {@link #save(Path)}; tower formats are found through {@link
   * dev.lit4j.spi.ImageTowerFormat} and {@link dev.lit4j.spi.TextTowerFormat} service providers on
   * the class path. Each loaded tower must report the identity {@code lit-model.json} records, and
   * the towers must be the pair the model was saved with: {@code lit-model.json}'s {@code
   * "binding"}, a SHA-256 over both identities, the dimension and the calibration, is recomputed
   * from the loaded towers. So a tower changed in its own files and in {@code lit-model.json} alike
   * (say the image tower's feature layer) is refused rather than paired with a text tower trained
   * on other features. The binding guards against mistakes, not malice; directories saved before it
   * existed load without that check.
   *
   * @param directory a model directory
   * @return the model; the caller closes it
   * @throws java.nio.file.NoSuchFileException if the directory or {@code lit-model.json} is missing
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the directory is inconsistent (names what is wrong), the
   *     loaded towers do not match the recorded identities or binding (names both), or a tower
   *     format has no provider (names the format and the module to add)
   */
  static LitModel load(Path directory) throws IOException {
    return ModelDirectory.load(directory);
  }

  /**
   * Loads the default model: the model directory that the one {@link
   * dev.lit4j.spi.DefaultModelProvider} on the class path supplies, loaded as by {@link
   * #load(Path)}. Add {@code dev.lit4j:lit-default-model} (same version as {@code lit-core}) for
   * the bundled model; it extracts the model once into a local cache and reuses it afterwards. The
   * caller owns and closes the returned model:
   *
   * <pre>{@code
   * try (LitModel model = LitModel.loadDefault()) {
   *   ZeroShotClassifier classifier = ZeroShotClassifier.of(model, List.of("cat", "dog"));
   * }
   * }</pre>
   *
   * @return the default model; the caller closes it
   * @throws IllegalStateException if no provider is on the class path (the message names the Maven
   *     artifact to add) or several are (the message names each)
   * @throws IOException if the model cannot be materialised or read
   * @throws IllegalArgumentException if the supplied directory is not a valid model (see {@link
   *     #load(Path)})
   */
  static LitModel loadDefault() throws IOException {
    return DefaultModels.load();
  }
}
