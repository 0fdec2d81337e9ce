package dev.lit4j.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.keras.ForwardMode;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A {@link TrainableMobileNetV2} seen as an {@link ImageTower}: images squashed to one resolution
 * and embedded in {@link ForwardMode#INFERENCE} (moving batch-norm statistics, nothing updated),
 * outside any gradient collector, so that lit-core's evaluation can run on a tower that was just
 * trained.
 *
 * <p>Borrows the tower: {@link #close()} does nothing to it. The identity's checksum is a CRC-32 of
 * the weights when the view is made, so a view made after further training has another identity.
 * Not thread-safe (the tower is not).
 */
final class TrainedImageTower implements ImageTower {
  /** Images per forward pass, to bound native memory at 224 px. */
  private static final int BATCH = 32;

  private final TrainableMobileNetV2 tower;
  private final int resolution;
  private final ImagePreprocessing preprocessing;
  private final Device device;
  private final TowerIdentity identity;

  private TrainedImageTower(TrainableMobileNetV2 tower, int resolution, String name) {
    this.tower = tower;
    this.resolution = resolution;
    this.preprocessing = TrainableMobileNetV2.preprocessing(resolution);
    this.device = tower.namedParameters().values().iterator().next().getArray().getDevice();
    this.identity =
        new TowerIdentity(name, checksum(tower.weightSnapshot()), "squash " + resolution + "px");
  }

  /**
   * A view of {@code tower} at {@code resolution}.
   *
   * @param tower the tower, borrowed
   * @param resolution the side in pixels images are squashed to
   * @param name a name for the identity, e.g. the arm's code
   * @throws IllegalArgumentException if the resolution is below the tower's minimum
   */
  static TrainedImageTower of(TrainableMobileNetV2 tower, int resolution, String name) {
    Objects.requireNonNull(tower, "tower");
    Objects.requireNonNull(name, "name");
    return new TrainedImageTower(tower, resolution, name);
  }

  /** {@return the side in pixels images are squashed to} */
  int resolution() {
    return resolution;
  }

  @Override
  public int dimension() {
    return tower.dimension();
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    Objects.requireNonNull(images, "images");
    int n = images.size();
    int d = tower.dimension();
    int size = preprocessing.tensorSize();
    float[] out = new float[n * d];
    for (int from = 0; from < n; from += BATCH) {
      int to = Math.min(n, from + BATCH);
      float[] pixels = new float[(to - from) * size];
      for (int k = from; k < to; k++) {
        preprocessing.apply(images.get(k)).copyTo(pixels, (k - from) * size);
      }
      try (NDManager scope = NDManager.newBaseManager(device)) {
        float[] rows =
            tower
                .forward(
                    scope.create(pixels, new Shape(to - from, 3, resolution, resolution)),
                    ForwardMode.INFERENCE)
                .toFloatArray();
        System.arraycopy(rows, 0, out, from * d, rows.length);
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(n, d, out));
  }

  /** Borrowed tower: nothing to release. */
  @Override
  public void close() {}

  private static String checksum(Map<String, FloatTensor> weights) {
    CRC32 crc = new CRC32();
    for (Map.Entry<String, FloatTensor> e : weights.entrySet()) {
      crc.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (float f : e.getValue().toArray()) {
        int bits = Float.floatToRawIntBits(f);
        crc.update(bits);
        crc.update(bits >>> 8);
        crc.update(bits >>> 16);
        crc.update(bits >>> 24);
      }
    }
    return String.format("crc32-%08x", crc.getValue());
  }
}
