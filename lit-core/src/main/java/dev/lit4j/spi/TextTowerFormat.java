package dev.lit4j.spi;

import dev.lit4j.model.TextTower;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads text towers of one on-disk format. Providers are registered in {@code
 * META-INF/services/dev.lit4j.spi.TextTowerFormat} and looked up by {@link #formatId()}, the id a
 * model directory's {@code lit-model.json} names for its text tower. Image towers have their own
 * service, {@link ImageTowerFormat}.
 */
public interface TextTowerFormat {

  /**
   * Returns the stable id written into {@code lit-model.json}.
   *
   * @return the format id, e.g. {@code lit4j-transformer-text}
   */
  String formatId();

  /**
   * Loads a text tower from {@code towerDirectory}; the caller closes it.
   *
   * @param towerDirectory the directory the tower was saved into
   * @return the loaded tower
   * @throws IOException if a file cannot be read
   */
  TextTower loadTextTower(Path towerDirectory) throws IOException;
}
