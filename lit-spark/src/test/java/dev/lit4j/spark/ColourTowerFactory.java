package dev.lit4j.spark;

import dev.lit4j.model.ImageTower;
import dev.lit4j.testing.ColourImageTower;

/**
 * Makes the test-jar's fake {@link ColourImageTower} (8-d, seeded) on executors; it fails on a
 * black image, which has no mean colour direction.
 */
public final class ColourTowerFactory implements ImageTowerFactory {
  /** Required by {@link TowerSource#factory}. */
  public ColourTowerFactory() {}

  @Override
  public ImageTower create() {
    return ColourImageTower.seeded(8, 1);
  }
}
