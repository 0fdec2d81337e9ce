package dev.lit4j.model;

import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.embedding.Whitening;
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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A locked image tower followed by a fixed {@link Whitening}: {@code embed(x) = normalise(W ·
 * (inner.embed(x) − μ))}. Nothing here is trained: the transform is fitted once on reference images
 * and is part of the tower, so its identity (name {@code <inner>+whitened-<k>}, a checksum over the
 * inner tower's checksum and the transform's bytes, and the inner preprocessing with the transform
 * appended) changes with any change of the transform, and a model, store or checkpoint made with
 * one transform is refused by a tower with another.
 *
 * <p>Embeddings of the inner tower that are already stored (an {@link
 * dev.lit4j.store.EmbeddingStore} built with the inner tower) become this tower's embeddings
 * through {@link #whiten(EmbeddingMatrix)}, the same arithmetic {@link #embedAll} applies: store,
 * training and inference see identical vectors.
 *
 * <p>Saved as {@code whitening.json} (the inner format, shapes, ε), {@code whitening.f32} (μ then
 * {@code W} row-major, little-endian float32) and the inner tower in {@code inner/}. Owns the inner
 * tower: {@link #close()} closes it. Thread-safe when the inner tower is.
 */
public final class WhitenedImageTower implements ImageTower, SavableTower {
  /** The format id under which {@link Format} loads saved towers. */
  public static final String FORMAT_ID = "lit4j-whitened-image";

  private static final String CONFIG_FILE = "whitening.json";
  private static final String WEIGHTS_FILE = "whitening.f32";

  private final ImageTower inner;
  private final Whitening whitening;
  private final TowerIdentity identity;

  private WhitenedImageTower(ImageTower inner, Whitening whitening) {
    this.inner = inner;
    this.whitening = whitening;
    TowerIdentity in = inner.identity();
    MessageDigest sha = Checksums.newSha256();
    sha.update(in.checksum().getBytes(StandardCharsets.UTF_8));
    sha.update(bytes(whitening));
    String checksum = "sha256:" + Checksums.toHex(sha);
    this.identity =
        new TowerIdentity(
            in.name() + "+whitened-" + whitening.outputDimension(),
            checksum,
            in.preprocessing()
                + ";whiten=pca-"
                + whitening.outputDimension()
                + "-eps-"
                + whitening.epsilon());
  }

  /**
   * Puts {@code whitening} on {@code inner}; the result owns {@code inner}.
   *
   * @param inner the tower whose embeddings are whitened
   * @param whitening the transform, fitted on the inner tower's embeddings
   * @return the whitened tower
   * @throws IllegalArgumentException if the whitening's input dimension differs from the inner
   *     tower's (both named)
   */
  public static WhitenedImageTower of(ImageTower inner, Whitening whitening) {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(whitening, "whitening");
    if (whitening.inputDimension() != inner.dimension()) {
      throw new IllegalArgumentException(
          "the whitening was fitted on dimension "
              + whitening.inputDimension()
              + " but the inner tower's dimension is "
              + inner.dimension()
              + "; fit it on embeddings of this tower");
    }
    return new WhitenedImageTower(inner, whitening);
  }

  /** {@return the transform} */
  public Whitening whitening() {
    return whitening;
  }

  /**
   * {@return the identity of the inner tower, whose stores {@link #whiten} turns into this one's}
   */
  public TowerIdentity innerIdentity() {
    return inner.identity();
  }

  /**
   * Turns embeddings of the inner tower (e.g. read from a store built with it) into this tower's.
   *
   * @param innerEmbeddings embeddings of the inner tower, {@code [N, D_inner]}
   * @return this tower's unit-norm embeddings of the same images, {@code [N, D]}
   * @throws IllegalArgumentException if their dimension is not the inner tower's
   */
  public EmbeddingMatrix whiten(EmbeddingMatrix innerEmbeddings) {
    return whitening.apply(innerEmbeddings);
  }

  @Override
  public int dimension() {
    return whitening.outputDimension();
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    return whiten(inner.embedAll(images));
  }

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  /**
   * Writes the transform and, in {@code inner/}, the inner tower.
   *
   * @throws UnsupportedOperationException if the inner tower is not a {@link SavableTower}
   */
  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    JsonObject config = new JsonObject();
    config.addProperty("inputDimension", whitening.inputDimension());
    config.addProperty("outputDimension", whitening.outputDimension());
    config.addProperty("epsilon", whitening.epsilon());
    AtomicFiles.write(towerDirectory.resolve(WEIGHTS_FILE), bytes(whitening));
    WrappedTowerFiles.save(inner, towerDirectory, CONFIG_FILE, config);
  }

  private static byte[] bytes(Whitening w) {
    float[] mean = w.mean();
    float[] matrix = w.matrix().toArray();
    ByteBuffer b =
        ByteBuffer.allocate((mean.length + matrix.length) * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(mean).put(matrix);
    return b.array();
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
      JsonObject config =
          WrappedTowerFiles.readConfig(towerDirectory, CONFIG_FILE, "whitened tower");
      int in;
      int out;
      double epsilon;
      try {
        in = config.get("inputDimension").getAsInt();
        out = config.get("outputDimension").getAsInt();
        epsilon = config.get("epsilon").getAsDouble();
      } catch (NullPointerException | IllegalStateException | NumberFormatException e) {
        throw new IOException(
            towerDirectory.resolve(CONFIG_FILE)
                + " is not a valid whitening config (needs innerFormat, inputDimension,"
                + " outputDimension, epsilon): "
                + e.getMessage(),
            e);
      }
      Path weightsFile = towerDirectory.resolve(WEIGHTS_FILE);
      byte[] raw = Files.readAllBytes(weightsFile);
      long expected = ((long) in + (long) in * out) * Float.BYTES;
      if (in < 1 || out < 1 || raw.length != expected) {
        throw new IOException(
            weightsFile
                + " holds "
                + raw.length
                + " bytes; a mean of "
                + in
                + " and a ["
                + out
                + ", "
                + in
                + "] float32 matrix need "
                + expected
                + "; the model directory is damaged, save it again");
      }
      float[] all = new float[in + in * out];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(all);
      float[] mean = Arrays.copyOfRange(all, 0, in);
      float[] matrix = Arrays.copyOfRange(all, in, all.length);
      Whitening whitening = Whitening.of(mean, FloatMatrix.wrap(out, in, matrix), epsilon);
      return WrappedTowerFiles.loadInner(towerDirectory, config, inner -> of(inner, whitening));
    }
  }
}
