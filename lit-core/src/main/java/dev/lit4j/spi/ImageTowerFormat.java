package dev.lit4j.spi;

import dev.lit4j.model.ImageTower;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads image towers of one on-disk format. Providers are registered in {@code
 * META-INF/services/dev.lit4j.spi.ImageTowerFormat} and looked up by {@link #formatId()}, the id a
 * model directory's {@code lit-model.json} names for its image tower. Text towers have their own
 * service, {@link TextTowerFormat}, so a provider implements only what its format holds.
 */
public interface ImageTowerFormat {

  /**
   * Returns the stable id written into {@code lit-model.json}.
   *
   * @return the format id, e.g. {@code lit4j-mobilenetv2}
   */
  String formatId();

  /**
   * Loads an image tower from {@code towerDirectory}; the caller closes it.
   *
   * @param towerDirectory the directory the tower was saved into
   * @return the loaded tower
   * @throws IOException if a file cannot be read
   */
  ImageTower loadImageTower(Path towerDirectory) throws IOException;
}
