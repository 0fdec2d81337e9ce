package dev.lit4j.store;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic fake image tower: the embedding of an image is built from its mean colour and its
 * size, so different test images get different, reproducible vectors. It can be told to break (fail
 * every call) from its k-th {@link #embedAll} call on, to interrupt its thread on its k-th call, or
 * to compute a NaN embedding, which {@link Embedding} rejects, for images of one colour.
 */
final class MeanColourTower implements ImageTower {
  static final TowerIdentity IDENTITY =
      new TowerIdentity("mean-colour-test", "sha256:0123abcd", "none");
  static final int DIMENSION = 6;

  /** Per-channel distance within which a mean colour counts as the poisoned one (PNG is exact). */
  private static final int POISON_TOLERANCE = 2;

  private final TowerIdentity identity;
  private final int failFromCall;
  private final int interruptOnCall;
  private final Color poison;
  private int calls;

  private MeanColourTower(
      TowerIdentity identity, int failFromCall, int interruptOnCall, Color poison) {
    this.identity = identity;
    this.failFromCall = failFromCall;
    this.interruptOnCall = interruptOnCall;
    this.poison = poison;
  }

  static MeanColourTower healthy() {
    return new MeanColourTower(IDENTITY, -1, -1, null);
  }

  static MeanColourTower withIdentity(TowerIdentity identity) {
    return new MeanColourTower(identity, -1, -1, null);
  }

  /** Throws from every {@link #embedAll} call from the {@code call}-th (1-based) on. */
  static MeanColourTower brokenFromCall(int call) {
    return new MeanColourTower(IDENTITY, call, -1, null);
  }

  /** Interrupts the calling thread during its {@code call}-th {@link #embedAll} call (1-based). */
  static MeanColourTower interruptingOnCall(int call) {
    return new MeanColourTower(IDENTITY, -1, call, null);
  }

  /**
   * Computes a NaN component for every image whose mean colour is {@code colour}, so {@link #embed}
   * and any {@link #embedAll} holding such an image throw IllegalArgumentException.
   */
  static MeanColourTower poisonedBy(Color colour) {
    return new MeanColourTower(IDENTITY, -1, -1, colour);
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
    boolean poisoned =
        poison != null
            && Math.abs(r / (w * h) - poison.getRed()) <= POISON_TOLERANCE
            && Math.abs(g / (w * h) - poison.getGreen()) <= POISON_TOLERANCE
            && Math.abs(b / (w * h) - poison.getBlue()) <= POISON_TOLERANCE;
    return Embedding.of(
        poisoned ? Float.NaN : (float) (r / n + 0.1),
        (float) (g / n + 0.2),
        (float) (b / n + 0.3),
        w / 100f,
        h / 100f,
        1f);
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    calls++;
    if (calls == interruptOnCall) {
      Thread.currentThread().interrupt();
    }
    if (failFromCall > 0 && calls >= failFromCall) {
      throw new IllegalStateException("injected tower failure on call " + calls);
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
