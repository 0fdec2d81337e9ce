package dev.lit4j.testing;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.SavableTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic fake image tower: the embedding of an image is its mean colour {@code (r, g, b)}
 * (each in {@code [0, 1]}) projected by three basis vectors, {@code normalise(r·R + g·G + b·B)}.
 * Tests that need images to land next to texts pass text embeddings as the basis, e.g. {@code R =
 * embed("red")}, so a pure red image embeds exactly like the text "red".
 *
 * <p>A black image has no direction and is rejected by {@link Embedding#of}. Thread-safe; counts
 * {@link #close()} calls.
 */
public final class ColourImageTower implements ImageTower, SavableTower {
  /** The format id under which {@link Format} loads saved towers. */
  public static final String FORMAT_ID = "lit4j-test-colour-image";

  private static final String FILE = "colour-image-tower.properties";
  private static final String[] CHANNELS = {"red", "green", "blue"};

  private final float[][] basis;
  private final AtomicInteger closeCalls = new AtomicInteger();
  private volatile boolean closed;

  private ColourImageTower(float[][] basis) {
    this.basis = basis;
  }

  /** Returns a tower whose red, green and blue basis vectors are the given embeddings. */
  public static ColourImageTower of(Embedding red, Embedding green, Embedding blue) {
    int d = red.dimension();
    if (green.dimension() != d || blue.dimension() != d) {
      throw new IllegalArgumentException("basis dimensions differ");
    }
    return new ColourImageTower(new float[][] {red.toArray(), green.toArray(), blue.toArray()});
  }

  /** Returns a tower with seeded pseudo-random Gaussian basis vectors of dimension {@code d}. */
  public static ColourImageTower seeded(int dimension, long seed) {
    Random random = new Random(seed);
    float[][] basis = new float[3][dimension];
    for (float[] row : basis) {
      for (int i = 0; i < dimension; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return new ColourImageTower(basis);
  }

  /** Returns a {@code size × size} image filled with one colour. */
  public static BufferedImage solid(int rgb, int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Override
  public int dimension() {
    return basis[0].length;
  }

  @Override
  public TowerIdentity identity() {
    return new TowerIdentity(
        "colour-image",
        Integer.toHexString(Arrays.deepHashCode(basis)),
        "mean RGB in [0, 1] projected by 3 basis vectors");
  }

  @Override
  public Embedding embed(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    checkOpen();
    double[] mean = new double[3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        mean[0] += (rgb >> 16) & 0xff;
        mean[1] += (rgb >> 8) & 0xff;
        mean[2] += rgb & 0xff;
      }
    }
    double pixels = 255.0 * image.getWidth() * image.getHeight();
    float[] v = new float[dimension()];
    for (int c = 0; c < 3; c++) {
      double w = mean[c] / pixels;
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (w * basis[c][i]);
      }
    }
    return Embedding.of(v);
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    Objects.requireNonNull(images, "images");
    checkOpen();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images must not be empty");
    }
    List<Embedding> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i) == null) {
        throw new IllegalArgumentException("images[" + i + "] is null");
      }
      out.add(embed(images.get(i)));
    }
    return EmbeddingMatrix.of(out);
  }

  /** Returns how many times {@link #close()} was called. */
  public int closeCalls() {
    return closeCalls.get();
  }

  /** Returns whether the tower is closed. */
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ColourImageTower is closed");
    }
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
    closed = true;
  }

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      StringBuilder sb = new StringBuilder(CHANNELS[c]).append('=');
      for (int i = 0; i < basis[c].length; i++) {
        sb.append(i == 0 ? "" : ",").append(basis[c][i]);
      }
      lines.add(sb.toString());
    }
    FakeFiles.writeProperties(towerDirectory.resolve(FILE), lines);
  }

  /** Loads {@link ColourImageTower}s; registered as a {@link ImageTowerFormat} service in tests. */
  public static final class Format implements ImageTowerFormat {
    /** Creates the format; called by {@link java.util.ServiceLoader}. */
    public Format() {}

    @Override
    public String formatId() {
      return FORMAT_ID;
    }

    @Override
    public ImageTower loadImageTower(Path towerDirectory) throws IOException {
      var p = FakeFiles.readProperties(towerDirectory.resolve(FILE));
      float[][] basis = new float[3][];
      for (int c = 0; c < 3; c++) {
        String[] parts = p.getProperty(CHANNELS[c]).split(",");
        basis[c] = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
          basis[c][i] = Float.parseFloat(parts[i]);
        }
      }
      return new ColourImageTower(basis);
    }
  }
}
