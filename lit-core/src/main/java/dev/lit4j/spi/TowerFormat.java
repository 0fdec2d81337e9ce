package dev.lit4j.spi;

import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TextTower;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads towers of one on-disk format. Providers are registered in {@code
 * META-INF/services/dev.lit4j.spi.TowerFormat} and looked up by {@link #formatId()}.
 */
public interface TowerFormat {

  /** {@return the stable id written into {@code lit-model.json}} */
  String formatId();

  /**
   * Loads an image tower from {@code towerDirectory}.
   *
   * @param towerDirectory the tower's directory inside a model directory
   * @return the tower; the caller closes it
   * @throws UnsupportedOperationException if this format holds text towers only
   * @throws IOException if a file cannot be read
   */
  ImageTower loadImageTower(Path towerDirectory) throws IOException;

  /**
   * Loads a text tower from {@code towerDirectory}.
   *
   * @param towerDirectory the tower's directory inside a model directory
   * @return the tower; the caller closes it
   * @throws UnsupportedOperationException if this format holds image towers only
   * @throws IOException if a file cannot be read
   */
  TextTower loadTextTower(Path towerDirectory) throws IOException;
}
