package dev.lit4j.pytorch.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.pytorch.image.keras.ForwardMode;
import dev.lit4j.pytorch.image.keras.TrainableKerasModel;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * The default image tower's network made trainable, for the LiT ablation of image towers (Zhai et
 * al., "LiT: Zero-Shot Transfer with Locked-image Text Tuning", CVPR 2022: setups {@code Lu}, a
 * locked pre-trained tower, {@code Uu}, an unlocked pre-trained one, and {@code uu}, one trained
 * from random initialisation). {@link Init#PRETRAINED} starts from the same nsfwjs MobileNetV2
 * weights as the locked {@link MobileNetV2Tower}, {@link Init#RANDOM} from a seeded He
 * initialisation; both have the same topology up to the same pooled layer (default {@value
 * MobileNetV2Tower#DEFAULT_LAYER}, 576-d), and no layer after it.
 *
 * <p>{@link #forward} returns what the locked tower does, computed differentiably: the layer's
 * output globally average-pooled, then L2-normalised rows. Unlike the locked tower, batch
 * normalisation is not folded into the convolutions: its gains and shifts are trainable parameters
 * and its moving statistics are buffers, and {@link ForwardMode} chooses between the batch's
 * statistics (training; the moving ones are updated) and the moving ones (inference, the locked
 * tower's arithmetic up to float rounding).
 *
 * <p>Input: float32 NCHW RGB in {@code [0, 1]} as {@link #preprocessing(int)} makes it, at any
 * resolution of at least {@value #MIN_RESOLUTION} px per side (e.g. 96–224 for training on a CPU;
 * 224 is the locked tower's).
 *
 * <p>Deviations from Keras fine-tuning: the moving statistics follow the builder's batch-norm
 * momentum (default {@value #DEFAULT_BATCH_NORM_MOMENTUM}, Keras' default, rather than the 0.999
 * this model's {@code model.json} was built with, so that they track the changing weights within a
 * few hundred steps of a short run and leave a from-scratch tower's initial 0/1 soon), and they are
 * updated with the unbiased batch variance (as TensorFlow's fused batch norm and PyTorch do).
 *
 * <p>For optimisers: in {@link ForwardMode#TRAINING} the shifts ({@code beta}) of the 13 projection
 * batch norms ({@code *_project_BN/beta}) get no gradient but float rounding (about 1e-8 of the
 * others): a projection is linear and reaches the embedding only through the next block's
 * expansion, whose batch norm subtracts the batch mean and so cancels any per-channel shift (in
 * Keras as here). Plain SGD leaves them in place; an optimiser that normalises steps (Adam) turns
 * that noise into steps of the learning rate's size, harmless in training mode and tracked by the
 * next moving mean in inference mode.
 *
 * <p>Thread-safety: not thread-safe. A training forward pass updates the moving statistics in place
 * and an optimiser the parameters; confine the tower to one thread. {@link #close()} is idempotent;
 * any other method after it throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TrainableMobileNetV2 tower = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
 *     NDManager step = NDManager.newBaseManager("PyTorch");
 *     GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
 *   NDArray x = step.create(pixels, new Shape(n, 3, 112, 112)); // preprocessing(112)
 *   NDArray embeddings = tower.forward(x, ForwardMode.TRAINING); // [n, 576], unit rows
 *   gc.backward(loss(embeddings)); // gradients on every namedParameters() array
 * }
 * }</pre>
 */
public final class TrainableMobileNetV2 implements AutoCloseable {

  /** The smallest height and width accepted: MobileNetV2's overall stride. */
  public static final int MIN_RESOLUTION = 32;

  /** Default weight of the old moving statistics in a training update (Keras' default). */
  public static final double DEFAULT_BATCH_NORM_MOMENTUM = 0.99;

  /** How the weights start. */
  public enum Init {
    /** The imported nsfwjs MobileNetV2 weights, those of the locked {@link MobileNetV2Tower}. */
    PRETRAINED,
    /**
     * Seeded from scratch: kernels He/Kaiming normal {@code N(0, 2 / fanIn)}, biases 0, batch-norm
     * gains 1 and shifts 0, moving means 0 and variances 1.
     */
    RANDOM
  }

  private final TrainableKerasModel model;
  private final Init init;
  private final long seed;
  private final double momentum;
  private final int dimension;
  private volatile boolean closed;

  private TrainableMobileNetV2(
      TrainableKerasModel model, Init init, long seed, double momentum, int dimension) {
    this.model = model;
    this.init = init;
    this.seed = seed;
    this.momentum = momentum;
    this.dimension = dimension;
  }

  /**
   * {@return a builder of a tower starting from {@code init}}
   *
   * @param init where the weights start
   */
  public static Builder builder(Init init) {
    return new Builder(Objects.requireNonNull(init, "init"));
  }

  /** Builds a {@link TrainableMobileNetV2}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final Init init;
    private String layer = MobileNetV2Tower.DEFAULT_LAYER;
    private long seed;
    private double momentum = DEFAULT_BATCH_NORM_MOMENTUM;

    private Builder(Init init) {
      this.init = init;
    }

    /**
     * Sets the layer whose output is pooled (default {@value MobileNetV2Tower#DEFAULT_LAYER});
     * layers after it are not built.
     *
     * @param layer a convolutional layer of the Keras model, e.g. {@code "out_relu"} (1280-d)
     * @return this builder
     */
    public Builder layer(String layer) {
      this.layer = Objects.requireNonNull(layer, "layer");
      return this;
    }

    /**
     * Sets the seed of {@link Init#RANDOM} (default 0); {@link Init#PRETRAINED} draws nothing, so
     * there it has no effect.
     *
     * @param seed the seed; the same seed gives the same weights
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the weight of the old moving statistics in a training update, Keras' {@code momentum}
     * (default {@value #DEFAULT_BATCH_NORM_MOMENTUM}).
     *
     * @param momentum in {@code [0, 1]}; checked by {@link #build()}
     * @return this builder
     */
    public Builder batchNormMomentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Builds the tower from the weights in {@code lit-models}.
     *
     * @return the tower; the caller closes it
     * @throws IllegalArgumentException if the momentum is outside {@code [0, 1]}, the layer is
     *     unknown (the layers are listed) or not a convolutional feature map that runs at {@value
     *     #MIN_RESOLUTION} px
     * @throws IllegalStateException if {@code lit-models} is not on the class path
     */
    public TrainableMobileNetV2 build() {
      TrainableKerasModel model;
      try {
        byte[] json = MobileNetV2Tower.resource("model.json");
        model =
            init == Init.PRETRAINED
                ? TrainableKerasModel.pretrained(json, MobileNetV2Tower::resource, layer, momentum)
                : TrainableKerasModel.random(
                    json, MobileNetV2Tower::resource, layer, momentum, seed);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the MobileNetV2 weights from lit-models", e);
      }
      try {
        return new TrainableMobileNetV2(model, init, seed, momentum, probeDimension(model, layer));
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
  }

  /** The channel count of {@code layer}'s output, from one black image in inference mode. */
  private static int probeDimension(TrainableKerasModel model, String layer) {
    Shape out;
    try (NDManager probe = EngineStart.engine().newBaseManager()) {
      NDArray x = probe.zeros(new Shape(1, 3, MIN_RESOLUTION, MIN_RESOLUTION));
      out = model.forward(x, ForwardMode.INFERENCE).getShape();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "layer '"
              + layer
              + "' cannot run at the minimum resolution of "
              + MIN_RESOLUTION
              + " px ("
              + e.getMessage()
              + "); pool a convolutional layer such as "
              + MobileNetV2Tower.DEFAULT_LAYER,
          e);
    }
    if (out.dimension() != 4) {
      throw new IllegalArgumentException(
          "layer '"
              + layer
              + "' outputs "
              + out
              + "; the tower pools a convolutional feature map [N, C, H, W]: choose a layer"
              + " such as "
              + MobileNetV2Tower.DEFAULT_LAYER);
    }
    return Math.toIntExact(out.get(1));
  }

  /**
   * {@return the preprocessing for training at {@code resolution}: squash to {@code resolution}²,
   * RGB in [0, 1], NCHW; at 224 it is {@link MobileNetV2Tower#preprocessing()}}
   *
   * @param resolution the side in pixels, at least {@value #MIN_RESOLUTION}
   * @throws IllegalArgumentException if {@code resolution} is below {@value #MIN_RESOLUTION} or
   *     above {@link ImagePreprocessing#MAX_INPUT_SIZE}
   */
  public static ImagePreprocessing preprocessing(int resolution) {
    if (resolution < MIN_RESOLUTION) {
      throw belowMinimum(resolution + "×" + resolution);
    }
    return ImagePreprocessing.squash(resolution);
  }

  private static IllegalArgumentException belowMinimum(String size) {
    return new IllegalArgumentException(
        "image resolution "
            + size
            + " is below the minimum of "
            + MIN_RESOLUTION
            + " px per side (MobileNetV2's overall stride); use at least "
            + MIN_RESOLUTION
            + ", e.g. 96 to 224");
  }

  /**
   * The differentiable forward pass: images to L2-normalised pooled features. Run inside a {@code
   * GradientCollector} to get gradients on every {@link #namedParameters()} array.
   *
   * @param images float32 {@code [N, 3, H, W]}, RGB in {@code [0, 1]} ({@link #preprocessing}),
   *     {@code N ≥ 1}, {@code H, W ≥} {@value #MIN_RESOLUTION}; not closed
   * @param mode {@link ForwardMode#TRAINING}: batch statistics, moving statistics updated; {@link
   *     ForwardMode#INFERENCE}: moving statistics, nothing updated
   * @return float32 {@code [N, }{@link #dimension()}{@code ]}, unit rows, in the manager of {@code
   *     images}; intermediates are released
   * @throws IllegalArgumentException if {@code images} is not a non-empty float32 4-D batch of 3
   *     channels at the minimum resolution or more (the shape is named)
   * @throws IllegalStateException if the tower is closed
   */
  public NDArray forward(NDArray images, ForwardMode mode) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(mode, "mode");
    ensureOpen();
    checkImages(images);
    NDArray pooled;
    try (NDArray features = model.forward(images, mode)) {
      pooled = BatchedInference.globalAveragePool(features);
    }
    // F.normalize's x / max(‖x‖, ε); ‖·‖'s gradient is 0 (not NaN) at a zero row.
    try (pooled;
        NDArray norm = pooled.norm(new int[] {1}, true);
        NDArray safe = norm.maximum(1e-12f)) {
      return pooled.div(safe);
    }
  }

  private static void checkImages(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4) {
      throw new IllegalArgumentException(
          "images must be a 4-D batch [N, 3, H, W] (NCHW), got shape " + s);
    }
    if (images.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "images must be float32, got " + images.getDataType() + " (shape " + s + ")");
    }
    if (s.get(0) == 0) {
      throw new IllegalArgumentException("images hold an empty batch, shape " + s);
    }
    if (s.get(1) != 3) {
      throw new IllegalArgumentException(
          "images have "
              + s.get(1)
              + " channels (shape "
              + s
              + "); MobileNetV2 takes 3, RGB in [0, 1], NCHW: see preprocessing(int)");
    }
    if (s.get(2) < MIN_RESOLUTION || s.get(3) < MIN_RESOLUTION) {
      throw belowMinimum(s.get(2) + "×" + s.get(3));
    }
  }

  /** {@return the embedding dimension: the pooled layer's channel count (576 by default)} */
  public int dimension() {
    return dimension;
  }

  /** {@return the pooled layer} */
  public String layer() {
    return model.layer();
  }

  /** {@return where the weights started} */
  public Init init() {
    return init;
  }

  /** {@return the seed of {@link Init#RANDOM} (unused by {@link Init#PRETRAINED})} */
  public long seed() {
    return seed;
  }

  /** {@return the weight of the old moving statistics in a training update} */
  public double batchNormMomentum() {
    return momentum;
  }

  /**
   * {@return every trainable parameter by Keras name ({@code Conv1/kernel}, {@code bn_Conv1/gamma},
   * …), in topological order} {@link Parameter#getType()} is {@code WEIGHT} for convolution kernels
   * (rank 4, PyTorch layout {@code [out, in / groups, kh, kw]}; weight decay applies) and {@code
   * BIAS}, {@code GAMMA} or {@code BETA} for biases and batch-norm gains and shifts (rank 1; no
   * weight decay). The arrays require gradients, belong to the tower (freed by {@link #close()})
   * and are updated in place by an optimiser.
   *
   * @throws IllegalStateException if the tower is closed
   */
  public Map<String, Parameter> namedParameters() {
    ensureOpen();
    return model.namedParameters();
  }

  /**
   * {@return the batch-norm moving statistics by Keras name ({@code bn_Conv1/moving_mean}, {@code
   * bn_Conv1/moving_variance}, …)} Types {@code RUNNING_MEAN} and {@code RUNNING_VAR}; they never
   * require gradients and only a {@link ForwardMode#TRAINING} forward pass changes them.
   *
   * @throws IllegalStateException if the tower is closed
   */
  public Map<String, Parameter> namedBuffers() {
    ensureOpen();
    return model.namedBuffers();
  }

  /**
   * {@return a copy of every parameter, then every buffer, by Keras name}
   *
   * @throws IllegalStateException if the tower is closed
   */
  public Map<String, FloatTensor> weightSnapshot() {
    ensureOpen();
    return model.weightSnapshot();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("TrainableMobileNetV2 is closed");
    }
  }

  /** Frees the weights' native memory; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }

  @Override
  public String toString() {
    return "TrainableMobileNetV2["
        + init
        + (init == Init.RANDOM ? ", seed=" + seed : "")
        + ", "
        + model.layer()
        + ", dim="
        + dimension
        + "]";
  }
}
