package dev.lit4j.model;

import dev.lit4j.loss.LossKind;
import java.util.List;

/**
 * The contents of {@code lit-model.json}, as read by Gson. Fields are boxed so that a missing field
 * reads as {@code null} and {@link ModelDirectory} can name it; validation happens there, not here.
 *
 * @param formatVersion the directory format version, currently {@value
 *     ModelDirectory#FORMAT_VERSION}
 * @param dimension the shared embedding dimension
 * @param calibration the learned score calibration
 * @param imageTower where and in which format the image tower is stored
 * @param textTower where and in which format the text tower is stored
 * @param templates optional prompt templates the model was trained or tuned for (each with one
 *     {@code {}}); {@code null} when absent, which Gson neither writes nor requires, so directories
 *     saved before the field existed still load
 * @param binding the {@link ModelBinding} of the saved model, {@code "sha256:<hex>"}; always
 *     written, {@code null} in directories saved before the field existed, which load without the
 *     check
 */
record ModelConfig(
    Integer formatVersion,
    Integer dimension,
    Calibration calibration,
    Tower imageTower,
    Tower textTower,
    List<String> templates,
    String binding) {

  /** {@link ScoreCalibration} as stored. */
  record Calibration(LossKind loss, Double temperature, Double bias) {}

  /**
   * One tower as stored.
   *
   * @param format the {@link dev.lit4j.spi.ImageTowerFormat} or {@link
   *     dev.lit4j.spi.TextTowerFormat} id
   * @param path the tower's subdirectory, relative to the model directory
   * @param identity what the loaded tower must report as its {@link TowerIdentity}
   */
  record Tower(String format, String path, Identity identity) {}

  /** {@link TowerIdentity} as stored. */
  record Identity(String name, String checksum, String preprocessing) {
    static Identity of(TowerIdentity id) {
      return new Identity(id.name(), id.checksum(), id.preprocessing());
    }
  }
}
