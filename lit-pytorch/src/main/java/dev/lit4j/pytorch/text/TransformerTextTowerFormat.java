package dev.lit4j.pytorch.text;

import dev.lit4j.model.TextTower;
import dev.lit4j.spi.TextTowerFormat;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@value TextTowerFiles#FORMAT_ID} tower format: a directory holding {@code text-tower.json},
 * {@code text-tower.safetensors} (float32, BERT parameter names) and {@code tokenizer.json},
 * written by {@link TransformerTextTower#saveTo(Path)}. Registered for {@link
 * java.util.ServiceLoader}. Stateless and thread-safe.
 */
public final class TransformerTextTowerFormat implements TextTowerFormat {

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public TransformerTextTowerFormat() {}

  @Override
  public String formatId() {
    return TextTowerFiles.FORMAT_ID;
  }

  @Override
  public TextTower loadTextTower(Path towerDirectory) throws IOException {
    return TransformerTextTower.load(towerDirectory);
  }
}
