package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras functional model in TF.js layers format, built for training up to one layer: the same
 * files, topology and interpreter as {@link KerasLayersModel}, but with every weight the layer
 * depends on a live, trainable array, and batch normalisation unfolded.
 *
 * <p>Weights carry their Keras names ({@code Conv1/kernel}, {@code
 * block_1_depthwise/depthwise_kernel}, {@code bn_Conv1/gamma}, {@code bn_Conv1/moving_mean}, …) in
 * PyTorch layouts (kernels {@code [out, in / groups, kh, kw]}). {@link #namedParameters()} are
 * trainable: kernels ({@link Parameter.Type#WEIGHT}, rank 4, the ones weight decay applies to),
 * biases ({@code BIAS}) and batch-norm gains and shifts ({@code GAMMA}, {@code BETA}, rank 1).
 * {@link #namedBuffers()} are the moving statistics ({@code RUNNING_MEAN}, {@code RUNNING_VAR}),
 * which no gradient reaches and which only a {@link ForwardMode#TRAINING} forward pass updates.
 * Layers after the chosen one are not built.
 *
 * <p>Thread-safety: not thread-safe. A training forward pass updates the moving statistics in place
 * and an optimiser updates the parameters in place; confine the model to one thread or synchronise
 * externally. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (TrainableKerasModel model = TrainableKerasModel.pretrained(json, shards, "block_13_expand_relu", 0.99);
 *     NDManager step = NDManager.newBaseManager("PyTorch");
 *     GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
 *   NDArray features = model.forward(step.zeros(new Shape(4, 3, 96, 96)), ForwardMode.TRAINING);
 *   gc.backward(features.square().sum()); // gradients on every namedParameters() array
 * }
 * }</pre>
 */
public final class TrainableKerasModel implements AutoCloseable {
  private final NDManager manager;
  private final TrainableGraphBuilder.Graphs graphs;
  private final TrainableWeights weights;
  private final String layer;
  private final String sha256;
  private volatile boolean closed;

  private TrainableKerasModel(
      NDManager manager,
      TrainableGraphBuilder.Graphs graphs,
      TrainableWeights weights,
      String layer,
      String sha256) {
    this.manager = manager;
    this.graphs = graphs;
    this.weights = weights;
    this.layer = layer;
    this.sha256 = sha256;
  }

  /**
   * Builds the model up to {@code layer} with the imported weights.
   *
   * @param modelJson the bytes of {@code model.json}
   * @param shards reads the weight shards it names
   * @param layer the last layer built; its output is what {@link #forward} returns
   * @param batchNormMomentum the weight of the old moving statistics in a training update, in
   *     {@code [0, 1]} (Keras' meaning; Keras' default is 0.99)
   * @return the model; the caller closes it
   * @throws IOException if a shard cannot be read
   * @throws IllegalArgumentException if the files are not a TF.js layers model, the layer is
   *     unknown, a layer it depends on is unsupported (named) or the momentum is outside [0, 1]
   */
  public static TrainableKerasModel pretrained(
      byte[] modelJson, KerasLayersModel.ShardSource shards, String layer, double batchNormMomentum)
      throws IOException {
    return build(modelJson, shards, layer, batchNormMomentum, TrainableWeights.Start.PRETRAINED, 0);
  }

  /**
   * Builds the model up to {@code layer} with weights initialised from scratch: kernels He normal,
   * {@code N(0, 2 / fanIn)}, biases and shifts 0, gains 1, moving means 0, moving variances 1,
   * drawn from {@code seed}. The imported weights are not read, only their shapes.
   *
   * @param modelJson the bytes of {@code model.json}
   * @param shards reads the weight shards it names
   * @param layer the last layer built; its output is what {@link #forward} returns
   * @param batchNormMomentum the weight of the old moving statistics in a training update, in
   *     {@code [0, 1]}
   * @param seed the same seed gives the same weights
   * @return the model; the caller closes it
   * @throws IOException if a shard cannot be read
   * @throws IllegalArgumentException as {@link #pretrained}
   */
  public static TrainableKerasModel random(
      byte[] modelJson,
      KerasLayersModel.ShardSource shards,
      String layer,
      double batchNormMomentum,
      long seed)
      throws IOException {
    return build(modelJson, shards, layer, batchNormMomentum, TrainableWeights.Start.RANDOM, seed);
  }

  private static TrainableKerasModel build(
      byte[] modelJson,
      KerasLayersModel.ShardSource shards,
      String layer,
      double momentum,
      TrainableWeights.Start start,
      long seed)
      throws IOException {
    Objects.requireNonNull(layer, "layer");
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException(
          "batch-norm momentum must be in [0, 1] (the weight of the old moving statistics), got "
              + momentum);
    }
    KerasModelFile file = KerasModelFile.read(modelJson, shards);
    NDManager manager = EngineStart.engine().newBaseManager();
    try {
      TrainableWeights weights = new TrainableWeights(manager, start, seed);
      TrainableGraphBuilder.Graphs graphs =
          TrainableGraphBuilder.build(file, layer, weights, momentum);
      return new TrainableKerasModel(manager, graphs, weights, layer, file.sha256());
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** {@return the last layer built, whose output {@link #forward} returns} */
  public String layer() {
    return layer;
  }

  /**
   * {@return the SHA-256 (hex) of the files the model was built from} For a model built by {@link
   * #random} it identifies the topology; the weights are the seed's.
   */
  public String filesSha256() {
    return sha256;
  }

  /**
   * The differentiable forward pass from the input to {@link #layer()}. Run inside a {@code
   * GradientCollector} to get gradients on every {@link #namedParameters()} array.
   *
   * @param images a float32 {@code [N, C, H, W]} batch; not closed
   * @param mode how batch normalisation runs; {@link ForwardMode#TRAINING} updates the moving
   *     statistics
   * @return the layer's output ({@code [N, C', H', W']} or {@code [N, F]}), allocated in the
   *     manager of {@code images}; intermediates are released as soon as they are consumed (but for
   *     two scalars per ReLU6 that DJL's {@code clip} leaves there until that manager closes)
   * @throws IllegalArgumentException if the input shape does not match the model
   * @throws IllegalStateException if the model is closed
   */
  public NDArray forward(NDArray images, ForwardMode mode) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(mode, "mode");
    ensureOpen();
    return graphs.of(mode).forward(images, layer);
  }

  /**
   * {@return every trainable parameter by Keras name, in topological order} Arrays require
   * gradients, belong to the model and are freed by {@link #close()}; an optimiser updates them in
   * place.
   */
  public Map<String, Parameter> namedParameters() {
    return weights.parameters();
  }

  /**
   * {@return the moving statistics by Keras name, in topological order} They never require
   * gradients; a {@link ForwardMode#TRAINING} forward pass updates them in place.
   */
  public Map<String, Parameter> namedBuffers() {
    return weights.buffers();
  }

  /**
   * Copies every parameter, then every buffer, to the heap, by Keras name, in PyTorch layout.
   *
   * @return the snapshot; later training does not change it
   * @throws IllegalStateException if the model is closed
   */
  public Map<String, FloatTensor> weightSnapshot() {
    ensureOpen();
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    weights.parameters().forEach((name, p) -> out.put(name, copy(p.getArray())));
    weights.buffers().forEach((name, p) -> out.put(name, copy(p.getArray())));
    return out;
  }

  private static FloatTensor copy(NDArray a) {
    int[] shape = Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    return FloatTensor.of(shape, a.toFloatArray());
  }

  /** {@return the number of arrays the model's manager holds: its weights and constants} */
  int liveArrayCount() {
    ensureOpen();
    return manager.getManagedArrays().size();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("TrainableKerasModel is closed");
    }
  }

  /** Releases every weight; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
