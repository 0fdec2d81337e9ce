package dev.lit4j.pytorch.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.image.keras.KerasLayersModel;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.spi.SavableTower;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The default locked image tower: nsfwjs 4.3.0's MobileNetV2 (Keras, width 1.0,
 * ImageNet-pretrained, MIT; weights shipped in {@code lit-models}) imported from TF.js layers
 * format, run up to one layer and globally average-pooled, then L2-normalised.
 *
 * <p>The default layer, {@value #DEFAULT_LAYER} (576-d), transferred best in a linear probe ({@code
 * docs/DEFAULTS.md}): clip-art classes 0.52, tuxpaint stamps 0.61, emoji subgroups 0.57,
 * Fashion-MNIST 0.84, against 0.44 / 0.49 / 0.50 / 0.76 at the final {@code out_relu} (1280-d);
 * nsfwjs fine-tuned only from {@code block_11_expand} on, so earlier blocks keep more generic
 * ImageNet features.
 *
 * <p>Preprocessing ({@link #preprocessing()}): squash-resize to 224×224 RGB in {@code [0, 1]}, no
 * mean/std, as nsfwjs feeds the model ({@code tf.image.resizeBilinear(img / 255, [224, 224])}).
 * Deviation: nsfwjs resizes with {@code alignCorners = true} bilinear without antialiasing; lit4j's
 * resampler averages areas first when shrinking, which keeps small downscaled details stable.
 *
 * <p>Locked: inference only; the weights never require gradients and no method exposes them to a
 * trainer. Thread-safety: {@link #embed} and {@link #embedAll} may run concurrently; {@link
 * #close()} must not race them.
 *
 * <pre>{@code
 * try (MobileNetV2Tower tower = MobileNetV2Tower.load()) {
 *   EmbeddingMatrix e = tower.embedAll(images); // [images.size(), 576], unit rows
 * }
 * }</pre>
 */
public final class MobileNetV2Tower implements ImageTower, SavableTower {

  /** The layer pooled by default: 576-d, the best linear-probe layer (see class comment). */
  public static final String DEFAULT_LAYER = "block_13_expand_relu";

  /** The model's name in {@link TowerIdentity#name()} and saved references. */
  public static final String MODEL_NAME = "nsfwjs-4.3.0/mobilenet_v2";

  /** Images per forward pass in {@link #embedAll}. */
  public static final int BATCH_SIZE = 32;

  /** Side of the black image that probes a layer's output shape at load time. */
  private static final int PROBE_SIZE = 32;

  static final String RESOURCE_DIRECTORY = "/dev/lit4j/models/mobilenet_v2/";
  private static final ImagePreprocessing PREPROCESSING = ImagePreprocessing.squash(224);

  private final KerasLayersModel model;
  private final NDManager manager;
  private final String layer;
  private final int dimension;
  private final TowerIdentity identity;
  private volatile boolean closed;

  private MobileNetV2Tower(KerasLayersModel model, NDManager manager, String layer) {
    this.model = model;
    this.manager = manager;
    this.layer = layer;
    Shape out = probeOutputShape(model, manager, layer);
    if (out.dimension() != 4 && out.dimension() != 2) {
      throw new IllegalArgumentException(
          "layer '" + layer + "' outputs " + out + "; expected [N, C, H, W] or [N, F]");
    }
    this.dimension = (int) out.get(1);
    this.identity =
        new TowerIdentity(
            MODEL_NAME + "/" + layer,
            model.weightsSha256(),
            PREPROCESSING.describe() + ";features=" + layer + ";pool=global-average;l2");
  }

  /**
   * Finds the shape of {@code layer}'s output by running the model on one black image. A
   * convolutional layer's channel count does not depend on the input size, so the probe first runs
   * at {@value #PROBE_SIZE}×{@value #PROBE_SIZE} (about a fiftieth of the work of 224×224, which
   * matters for load time), and at full size only where the small input fails or the layer's output
   * has no spatial axes (a dense layer, whose width could depend on it).
   */
  private static Shape probeOutputShape(KerasLayersModel model, NDManager manager, String layer) {
    try (NDManager probe = manager.newSubManager()) {
      Shape small =
          model.forward(probe.zeros(new Shape(1, 3, PROBE_SIZE, PROBE_SIZE)), layer).getShape();
      if (small.dimension() == 4) {
        return small;
      }
    } catch (RuntimeException tooSmall) {
      // Falls through to the full-size probe, which reports any real error.
    }
    try (NDManager probe = manager.newSubManager()) {
      return model.forward(probe.zeros(new Shape(1, 3, 224, 224)), layer).getShape();
    }
  }

  /** {@return the preprocessing this tower applies: 224×224 squash, RGB in [0, 1], NCHW} */
  public static ImagePreprocessing preprocessing() {
    return PREPROCESSING;
  }

  /**
   * Loads the tower pooled at {@value #DEFAULT_LAYER} (576-d) from the {@code lit-models} jar.
   *
   * @return the tower; the caller closes it
   * @throws IllegalStateException if {@code lit-models} is not on the class path
   */
  public static MobileNetV2Tower load() {
    return load(DEFAULT_LAYER);
  }

  /**
   * Loads the tower pooled at {@code layer} (any layer name of the Keras model, e.g. {@code
   * "out_relu"} for 1280-d).
   *
   * @param layer the Keras layer whose output is pooled
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException if the model has no such layer (the valid names are listed)
   * @throws IllegalStateException if {@code lit-models} is not on the class path
   */
  public static MobileNetV2Tower load(String layer) {
    Objects.requireNonNull(layer, "layer");
    KerasLayersModel model;
    try {
      model = KerasLayersModel.load(resource("model.json"), MobileNetV2Tower::resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MobileNetV2 weights from lit-models", e);
    }
    NDManager manager = EngineStart.engine().newBaseManager();
    try {
      if (!model.layerNames().contains(layer)) {
        throw new IllegalArgumentException(
            "MobileNetV2 has no layer '"
                + layer
                + "'; use "
                + DEFAULT_LAYER
                + " (default) or one of "
                + model.layerNames());
      }
      return new MobileNetV2Tower(model, manager, layer);
    } catch (RuntimeException e) {
      manager.close();
      model.close();
      throw e;
    }
  }

  /** Reads a file of the shipped model from {@code lit-models}. */
  static byte[] resource(String name) throws IOException {
    try (InputStream in = MobileNetV2Tower.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + RESOURCE_DIRECTORY
                + name
                + " not found; add the dev.lit4j:lit-models jar to the class path");
      }
      return in.readAllBytes();
    }
  }

  /** {@return the layer whose pooled output is the embedding} */
  public String layer() {
    return layer;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public TowerIdentity identity() {
    return identity;
  }

  @Override
  public EmbeddingMatrix embedAll(List<BufferedImage> images) {
    ensureOpen();
    return BatchedInference.embedAll(images, PREPROCESSING, BATCH_SIZE, manager, this::features);
  }

  /**
   * Pooled features {@code [N, D]} of a preprocessed {@code [N, 3, 224, 224]} batch, in the batch's
   * manager; not normalised.
   */
  NDArray features(NDArray batch) {
    ensureOpen();
    NDArray out = model.forward(batch, layer);
    if (out.getShape().dimension() == 2) {
      return out;
    }
    try (out) {
      return BatchedInference.globalAveragePool(out);
    }
  }

  /** Arrays alive in the tower's call scope (0 between calls: per-call scopes are closed). */
  int liveArrayCount() {
    return manager.getManagedArrays().size();
  }

  /** The imported model, for audits in tests. */
  KerasLayersModel model() {
    return model;
  }

  @Override
  public String formatId() {
    return MobileNetV2TowerFormat.FORMAT_ID;
  }

  /**
   * Writes {@code mobilenet-v2.json}: the model name, layer and weights checksum; the weights stay
   * in {@code lit-models}.
   */
  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    ensureOpen();
    JsonObject ref = new JsonObject();
    ref.addProperty("model", MODEL_NAME);
    ref.addProperty("layer", layer);
    ref.addProperty("sha256", model.weightsSha256());
    AtomicFiles.writeString(
        towerDirectory.resolve(MobileNetV2TowerFormat.REFERENCE_FILE), TowerFiles.GSON.toJson(ref));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("MobileNetV2Tower is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
      model.close();
    }
  }

  @Override
  public String toString() {
    return "MobileNetV2Tower[" + layer + ", dim=" + dimension + "]";
  }
}
