package dev.lit4j.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Supplies the model that {@link dev.lit4j.model.LitModel#loadDefault()} and {@link
 * dev.lit4j.zeroshot.ZeroShotClassifier#of(java.util.List)} load. Registered in {@code
 * META-INF/services/dev.lit4j.spi.DefaultModelProvider}; the module {@code
 * dev.lit4j:lit-default-model} provides one, and exactly one provider may be on the class path.
 *
 * <p>A provider hands out a model <em>directory</em>, not a loaded model: loading stays with {@link
 * dev.lit4j.model.LitModel#load(Path)}, so the default model passes the same validation (format
 * version, tower identities and checksums) as any other, its towers are found through the same
 * {@link ImageTowerFormat} and {@link TextTowerFormat} providers, and the caller, not the provider,
 * owns the loaded model.
 *
 * <p>Implementations must be thread-safe and may be called from several processes at once.
 */
public interface DefaultModelProvider {

  /**
   * {@return a local directory holding a complete model, as written by {@link
   * dev.lit4j.model.LitModel#save(Path)}, materialising it first if needed (for example by
   * extracting jar resources into a cache)} The directory must not be modified by the caller.
   *
   * @throws IOException if the model cannot be materialised
   */
  Path modelDirectory() throws IOException;
}
