package dev.lit4j.pytorch.training;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.spi.SavableTower;
import dev.lit4j.testing.ColourImageTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A locked image tower for trainer tests: it saves (and later loads) as lit-core's {@link
 * ColourImageTower}, and fails loudly if anything asks it to embed — training must never run it.
 */
final class LockedImageTower implements ImageTower, SavableTower {
  private final ColourImageTower delegate;
  private final AtomicInteger embedCalls = new AtomicInteger();
  private final AtomicInteger closeCalls = new AtomicInteger();

  LockedImageTower(int dimension, long seed) {
    this.delegate = ColourImageTower.seeded(dimension, seed);
  }

  int embedCalls() {
    return embedCalls.get();
  }

  int closeCalls() {
    return closeCalls.get();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public TowerIdentity identity() {
    return delegate.identity();
  }

  @Override
  public Embedding embed(BufferedImage image) {
    embedCalls.incrementAndGet();
    throw new AssertionError("the locked image tower was asked to embed during training");
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    embedCalls.incrementAndGet();
    throw new AssertionError("the locked image tower was asked to embed during training");
  }

  @Override
  public String formatId() {
    return delegate.formatId();
  }

  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    delegate.saveTo(towerDirectory);
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
  }
}
