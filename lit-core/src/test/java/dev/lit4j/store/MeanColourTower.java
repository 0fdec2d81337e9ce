package dev.lit4j.store;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic fake image tower: the embedding of an image is built from its mean colour and its
 * size, so different test images get different, reproducible vectors. It can be told to fail or to
 * interrupt its thread on its k-th {@link #embedAll} call, to simulate a crash mid-build.
 */
final class MeanColourTower implements ImageTower {
  static final TowerIdentity IDENTITY =
      new TowerIdentity("mean-colour-test", "sha256:0123abcd", "none");
  static final int DIMENSION = 6;

  private final TowerIdentity identity;
  private final int failOnCall;
  private final boolean interruptInsteadOfFailing;
  private int calls;

  private MeanColourTower(TowerIdentity identity, int failOnCall, boolean interrupt) {
    this.identity = identity;
    this.failOnCall = failOnCall;
    this.interruptInsteadOfFailing = interrupt;
  }

  static MeanColourTower healthy() {
    return new MeanColourTower(IDENTITY, -1, false);
  }

  static MeanColourTower withIdentity(TowerIdentity identity) {
    return new MeanColourTower(identity, -1, false);
  }

  /** Throws from its {@code call}-th {@link #embedAll} call (1-based). */
  static MeanColourTower failingOnCall(int call) {
    return new MeanColourTower(IDENTITY, call, false);
  }

  /** Interrupts the calling thread during its {@code call}-th {@link #embedAll} call (1-based). */
  static MeanColourTower interruptingOnCall(int call) {
    return new MeanColourTower(IDENTITY, call, true);
  }

  int calls() {
    return calls;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public Embedding embed(BufferedImage image) {
    double r = 0, g = 0, b = 0;
    int w = image.getWidth(), h = image.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = image.getRGB(x, y);
        r += (argb >> 16) & 0xFF;
        g += (argb >> 8) & 0xFF;
        b += argb & 0xFF;
      }
    }
    double n = 255.0 * w * h;
    return Embedding.of(
        (float) (r / n + 0.1),
        (float) (g / n + 0.2),
        (float) (b / n + 0.3),
        w / 100f,
        h / 100f,
        1f);
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    calls++;
    if (calls == failOnCall) {
      if (interruptInsteadOfFailing) {
        Thread.currentThread().interrupt();
      } else {
        throw new IllegalStateException("injected tower failure on call " + calls);
      }
    }
    List<Embedding> out = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      out.add(embed(image));
    }
    return EmbeddingMatrix.of(out);
  }

  @Override
  public void close() {}
}
