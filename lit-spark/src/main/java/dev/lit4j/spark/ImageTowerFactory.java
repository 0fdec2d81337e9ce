package dev.lit4j.spark;

import dev.lit4j.model.ImageTower;
import java.io.IOException;

/**
 * Makes an image tower on an executor, for towers that {@link TowerSource}'s built-in kinds do not
 * cover. Implementations need a public no-argument constructor: executors instantiate the class
 * named by {@link TowerSource#factory(Class)} by reflection, once per JVM.
 *
 * <pre>{@code
 * public final class MyTowerFactory implements ImageTowerFactory {
 *   public ImageTower create() throws IOException {
 *     return TorchScriptImageTower.load(Path.of("/opt/towers/vit-b16"));
 *   }
 * }
 * }</pre>
 */
public interface ImageTowerFactory {
  /**
   * Loads the tower. Called at most once per executor JVM and source; the tower is closed when the
   * JVM shuts down.
   *
   * @return an open, locked image tower whose {@code embedAll} may be called from several threads
   *     at once (one per task slot)
   * @throws IOException if its files cannot be read
   */
  ImageTower create() throws IOException;
}
