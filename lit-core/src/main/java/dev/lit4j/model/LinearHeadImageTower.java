package dev.lit4j.model;

import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.io.Checksums;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.SavableTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * A locked image tower followed by a trained linear head: {@code embed(x) = normalise(W ·
 * inner.embed(x))} with {@code W} of shape {@code [D, D_inner]}. This is the "locked tower with a
 * trainable head" setting of LiT (Zhai et al. 2022, §3) that a trainer produces when asked to train
 * an image head; the inner tower stays locked.
 *
 * <p>Saved as {@code linear-head.json} (the inner tower's format and the head's shape), {@code
 * linear-head.f32} (the head, row-major little-endian float32) and the inner tower in {@code
 * inner/}. Owns the inner tower: {@link #close()} closes it. Thread-safe when the inner tower is.
 */
public final class LinearHeadImageTower implements ImageTower, SavableTower {
  /** The format id under which {@link Format} loads saved towers. */
  public static final String FORMAT_ID = "lit4j-linear-head-image";

  private static final String CONFIG_FILE = "linear-head.json";
  private static final String WEIGHTS_FILE = "linear-head.f32";

  private final ImageTower inner;
  private final FloatMatrix weight;
  private final TowerIdentity identity;

  private LinearHeadImageTower(ImageTower inner, FloatMatrix weight) {
    this.inner = inner;
    this.weight = weight;
    this.identity =
        new TowerIdentity(
            inner.identity().name() + "+linear-head",
            checksum(inner.identity().checksum(), weight),
            inner.identity().preprocessing());
  }

  /**
   * Puts head {@code weight} ({@code [D, D_inner]}) on {@code inner}; the result owns {@code
   * inner}.
   *
   * @param inner the tower whose embeddings the head maps
   * @param weight the head {@code W}, {@code [D, D_inner]}
   * @return the tower with the head
   * @throws IllegalArgumentException if the head's columns differ from the inner dimension or it
   *     holds NaN or infinity
   */
  public static LinearHeadImageTower of(ImageTower inner, FloatMatrix weight) {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(weight, "weight");
    if (weight.cols() != inner.dimension()) {
      throw new IllegalArgumentException(
          "head has "
              + weight.cols()
              + " columns but the inner tower's dimension is "
              + inner.dimension()
              + "; the head must be [D, "
              + inner.dimension()
              + "]");
    }
    int bad = weight.indexOfNonFinite();
    if (bad >= 0) {
      throw new IllegalArgumentException("head value at flat index " + bad + " is not finite");
    }
    return new LinearHeadImageTower(inner, weight);
  }

  /** {@return the head {@code W}, {@code [D, D_inner]}} */
  public FloatMatrix weight() {
    return weight;
  }

  /**
   * Applies the head to embeddings of the inner tower: row {@code i} of the result is {@code
   * normalise(W · x_i)}.
   *
   * @param innerEmbeddings embeddings of the inner tower, {@code [N, D_inner]}
   * @return unit-norm embeddings, {@code [N, D]}
   * @throws IllegalArgumentException if their dimension is not the inner tower's
   */
  public EmbeddingMatrix project(EmbeddingMatrix innerEmbeddings) {
    return project(weight, innerEmbeddings);
  }

  /**
   * {@return {@code normalise(W · x_i)} for every row {@code x_i}, {@code W} of shape {@code [D,
   * D_in]}}
   *
   * @param weight {@code W}, {@code [D, D_in]}
   * @param embeddings the rows {@code x_i}, {@code [N, D_in]}
   * @throws IllegalArgumentException if the embeddings' dimension is not {@code D_in}
   */
  public static EmbeddingMatrix project(FloatMatrix weight, EmbeddingMatrix embeddings) {
    if (embeddings.dimension() != weight.cols()) {
      throw new IllegalArgumentException(
          "embeddings have dimension "
              + embeddings.dimension()
              + " but the head expects "
              + weight.cols());
    }
    float[] x = embeddings.matrix().toArray();
    float[] w = weight.toArray();
    int n = embeddings.size();
    int in = weight.cols();
    int out = weight.rows();
    float[] y = new float[n * out];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < out; r++) {
        double s = 0;
        for (int c = 0; c < in; c++) {
          s += (double) w[r * in + c] * x[i * in + c];
        }
        y[i * out + r] = (float) s;
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(n, out, y));
  }

  @Override
  public int dimension() {
    return weight.rows();
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    return project(inner.embedAll(images));
  }

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  /**
   * Writes the head and, in {@code inner/}, the inner tower.
   *
   * @throws UnsupportedOperationException if the inner tower is not a {@link SavableTower}
   */
  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    JsonObject config = new JsonObject();
    config.addProperty("rows", weight.rows());
    config.addProperty("cols", weight.cols());
    AtomicFiles.write(towerDirectory.resolve(WEIGHTS_FILE), bytes(weight));
    WrappedTowerFiles.save(inner, towerDirectory, CONFIG_FILE, config);
  }

  private static byte[] bytes(FloatMatrix m) {
    ByteBuffer b = ByteBuffer.allocate(m.rows() * m.cols() * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(m.toArray());
    return b.array();
  }

  private static String checksum(String innerChecksum, FloatMatrix weight) {
    MessageDigest sha = Checksums.newSha256();
    sha.update(innerChecksum.getBytes(StandardCharsets.UTF_8));
    sha.update(bytes(weight));
    return "sha256:" + Checksums.toHex(sha);
  }

  /** Closes the inner tower; idempotent when the inner tower's close is. */
  @Override
  public void close() {
    inner.close();
  }

  /** Loads towers saved by {@link #saveTo}; the inner tower through its own format. */
  public static final class Format implements ImageTowerFormat {
    /** For {@link java.util.ServiceLoader}. */
    public Format() {}

    @Override
    public String formatId() {
      return FORMAT_ID;
    }

    @Override
    public ImageTower loadImageTower(Path towerDirectory) throws IOException {
      JsonObject config = WrappedTowerFiles.readConfig(towerDirectory, CONFIG_FILE, "linear head");
      int rows = config.get("rows").getAsInt();
      int cols = config.get("cols").getAsInt();
      byte[] raw = Files.readAllBytes(towerDirectory.resolve(WEIGHTS_FILE));
      if (raw.length != rows * cols * 4) {
        throw new IOException(
            towerDirectory.resolve(WEIGHTS_FILE)
                + " holds "
                + raw.length
                + " bytes; a ["
                + rows
                + ", "
                + cols
                + "] float32 head needs "
                + rows * cols * 4);
      }
      float[] w = new float[rows * cols];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(w);
      return WrappedTowerFiles.loadInner(
          towerDirectory, config, inner -> of(inner, FloatMatrix.wrap(rows, cols, w)));
    }
  }
}
