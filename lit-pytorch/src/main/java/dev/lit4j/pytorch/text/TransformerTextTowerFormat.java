package dev.lit4j.pytorch.text;

import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TextTower;
import dev.lit4j.spi.TowerFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@value TextTowerFiles#FORMAT_ID} tower format: a directory holding {@code text-tower.json},
 * {@code text-tower.safetensors} (float32, BERT parameter names) and {@code tokenizer.json},
 * written by {@link TransformerTextTower#saveTo(Path)}. Registered for {@link
 * java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class TransformerTextTowerFormat implements TowerFormat {

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public TransformerTextTowerFormat() {}

  @Override
  public String formatId() {
    return TextTowerFiles.FORMAT_ID;
  }

  /**
   * Always throws: this format holds text towers only.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public ImageTower loadImageTower(Path towerDirectory) {
    throw new UnsupportedOperationException(
        "format " + TextTowerFiles.FORMAT_ID + " holds text towers only, not image towers");
  }

  @Override
  public TextTower loadTextTower(Path towerDirectory) throws IOException {
    return TransformerTextTower.load(towerDirectory);
  }
}
