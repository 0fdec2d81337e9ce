package dev.lit4j.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tower that can write itself into a model directory. Implemented by image and text towers whose
 * {@link ImageTowerFormat} or {@link TextTowerFormat} can load them back.
 */
public interface SavableTower {

  /**
   * {@return the format id under which {@link ImageTowerFormat} or {@link TextTowerFormat}
   * providers find this tower, e.g. {@code "pytorch-transformer-text"}}
   */
  String formatId();

  /**
   * Writes this tower's files into {@code towerDirectory} (which exists and is empty), atomically
   * per file.
   *
   * @param towerDirectory an existing empty directory
   * @throws IOException if writing fails
   */
  void saveTo(Path towerDirectory) throws IOException;
}
