package dev.lit4j.model;

import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The {@link LitModel} of two given towers. Thread-safe when both towers are. */
final class ComposedLitModel implements LitModel {
  private final ImageTower imageTower;
  private final TextTower textTower;
  private final ScoreCalibration calibration;
  private final Optional<PromptTemplates> templates;
  private volatile boolean closed;

  ComposedLitModel(
      ImageTower imageTower,
      TextTower textTower,
      ScoreCalibration calibration,
      Optional<PromptTemplates> templates) {
    this.imageTower = Objects.requireNonNull(imageTower, "imageTower");
    this.textTower = Objects.requireNonNull(textTower, "textTower");
    this.calibration = Objects.requireNonNull(calibration, "calibration");
    this.templates = Objects.requireNonNull(templates, "templates");
    if (imageTower.dimension() != textTower.dimension()) {
      throw new IllegalArgumentException(
          "embedding dimensions differ: image tower = "
              + imageTower.dimension()
              + ", text tower = "
              + textTower.dimension()
              + "; the text tower's projection must output the image tower's dimension");
    }
  }

  @Override
  public ImageTower imageTower() {
    checkOpen();
    return imageTower;
  }

  @Override
  public TextTower textTower() {
    checkOpen();
    return textTower;
  }

  @Override
  public ScoreCalibration calibration() {
    return calibration;
  }

  @Override
  public Optional<PromptTemplates> promptTemplates() {
    return templates;
  }

  @Override
  public void save(Path directory) throws IOException {
    checkOpen();
    ModelDirectory.save(this, directory);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("LitModel is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Reverse order of acquisition; the text tower is closed even if the image tower throws.
    try {
      textTower.close();
    } finally {
      imageTower.close();
    }
  }
}
