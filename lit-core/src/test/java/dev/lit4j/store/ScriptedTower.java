package dev.lit4j.store;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A {@link MeanColourTower} whose {@link #embedAll} runs a test's script instead, for failures and
 * pauses the fake's modes do not cover. {@link #embed} is the base tower's.
 */
final class ScriptedTower implements ImageTower {
  /** What {@link #embedAll} does; {@code base} computes the correct embeddings. */
  @FunctionalInterface
  interface Script {
    EmbeddingMatrix embedAll(List<BufferedImage> images, MeanColourTower base);
  }

  private final MeanColourTower base = MeanColourTower.healthy();
  private final Script script;

  ScriptedTower(Script script) {
    this.script = script;
  }

  @Override
  public int dimension() {
    return base.dimension();
  }

  @Override
  public TowerIdentity identity() {
    return base.identity();
  }

  @Override
  public Embedding embed(BufferedImage image) {
    return base.embed(image);
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    return script.embedAll(images, base);
  }

  @Override
  public void close() {}
}
