package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.weights.ConvertedWeights;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Keras functional model in TF.js <i>layers</i> format ({@code model.json} with its {@code
 * modelTopology} and {@code weightsManifest}, plus binary shards), imported into PyTorch through
 * DJL for inference.
 *
 * <p>Tensors are NCHW inside: the input batch is {@code [N, C, H, W]} float32 and 4-D layer outputs
 * are {@code [N, C, H, W]} (Keras' {@code [N, H, W, C]} transposed). Weights are dequantised
 * ({@link WeightManifest}) and converted to PyTorch's layouts; a {@code BatchNormalization} that
 * directly follows a linear convolution used nowhere else is folded into that convolution's kernel
 * and bias (in float64). The converted arrays are cached ({@link ConvertedWeights}, keyed by the
 * SHA-256 of {@code model.json} and the shards and a conversion version), so later loads, in any
 * process, read them instead of converting again. The model is inference-only: weights never
 * require gradients and no method trains them.
 *
 * <p>Thread-safety: after loading the model is immutable and {@link #forward} may be called from
 * several threads; {@link #close()} must not race with them.
 *
 * <pre>{@code
 * try (KerasLayersModel model = KerasLayersModel.load(Path.of("model.json"));
 *     NDManager call = NDManager.newBaseManager("PyTorch")) {
 *   NDArray features = model.forward(call.zeros(new Shape(1, 3, 224, 224)), "block_13_expand_relu");
 * }
 * }</pre>
 */
public final class KerasLayersModel implements AutoCloseable {

  /** Reads a weight shard named by the manifest's {@code paths}. */
  @FunctionalInterface
  public interface ShardSource {
    /**
     * {@return the bytes of shard {@code path} (relative, as written in {@code model.json})}
     *
     * @param path the shard's path
     * @throws IOException if the shard cannot be read
     */
    byte[] read(String path) throws IOException;
  }

  /** Name of converted models in the {@link ConvertedWeights} cache. */
  static final String CACHE_NAME = "keras-layers";

  /**
   * Version of the conversion from Keras weights to the arrays the ops use (layouts, batch
   * normalisation folding); raise it when that changes, so that cached arrays of the old conversion
   * are not read.
   */
  static final int CONVERSION_VERSION = 1;

  private final NDManager manager;
  private final LayerGraph graph;
  private final String sha256;
  private final long parameterCount;
  private final Map<String, NDArray> weights;
  private volatile boolean closed;

  /** How many weight arrays this load converted rather than read from the cache; for tests. */
  private int convertedArrays;

  private KerasLayersModel(
      NDManager manager,
      LayerGraph graph,
      String sha256,
      long parameterCount,
      Map<String, NDArray> weights) {
    this.manager = manager;
    this.graph = graph;
    this.sha256 = sha256;
    this.parameterCount = parameterCount;
    this.weights = weights;
  }

  /**
   * Loads {@code model.json} and the shards beside it.
   *
   * @param modelJson the {@code model.json} file
   * @return the model; the caller closes it
   * @throws NoSuchFileException if {@code modelJson} or a shard does not exist (named)
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if the topology holds an unsupported layer or setting (the
   *     layer is named) or the weights do not match it
   */
  public static KerasLayersModel load(Path modelJson) throws IOException {
    Objects.requireNonNull(modelJson, "modelJson");
    Path dir = modelJson.toAbsolutePath().getParent();
    return load(Files.readAllBytes(modelJson), path -> Files.readAllBytes(dir.resolve(path)));
  }

  /**
   * Loads a model from the bytes of its {@code model.json} and a source of shards.
   *
   * @param modelJson the bytes of {@code model.json}
   * @param shards reads the weight shards it names
   * @return the model; the caller closes it
   * @throws IOException if a shard cannot be read
   * @throws IllegalArgumentException if the JSON is not a TF.js layers model, holds an unsupported
   *     layer or setting (the layer is named), or the weights do not match it
   */
  public static KerasLayersModel load(byte[] modelJson, ShardSource shards) throws IOException {
    KerasModelFile file = KerasModelFile.read(modelJson, shards);
    List<LayerSpec> specs = file.specs();
    String cacheKey = file.sha256() + "-v" + CONVERSION_VERSION;
    Map<String, FloatTensor> prepared =
        ConvertedWeights.find(CACHE_NAME, cacheKey).orElse(Map.of());
    NDManager manager = EngineStart.engine().newBaseManager();
    try {
      GraphBuilder builder = new GraphBuilder(specs, file.tensors(), manager, prepared);
      List<LayerGraph.Node> nodes = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        LayerSpec s = specs.get(i);
        nodes.add(new LayerGraph.Node(s.name(), s.className(), builder.op(i), builder.inputs(i)));
      }
      if (builder.convertedCount() > 0) {
        Map<String, FloatTensor> converted = new LinkedHashMap<>();
        builder
            .weights()
            .forEach(
                (name, array) ->
                    converted.put(
                        name,
                        FloatTensor.of(
                            Arrays.stream(array.getShape().getShape())
                                .mapToInt(Math::toIntExact)
                                .toArray(),
                            array.toFloatArray())));
        ConvertedWeights.store(CACHE_NAME, cacheKey, converted);
      }
      KerasLayersModel model =
          new KerasLayersModel(
              manager,
              new LayerGraph(nodes),
              file.sha256(),
              file.parameterCount(),
              builder.weights());
      model.convertedArrays = builder.convertedCount();
      return model;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** {@return how many weight arrays the load converted (0 when all came from the cache)} */
  int convertedArrayCount() {
    return convertedArrays;
  }

  /** {@return the layer names in topological order} */
  public List<String> layerNames() {
    return graph.layerNames();
  }

  /**
   * {@return the Keras class of a layer, e.g. {@code "ReLU"}}
   *
   * @param layer the layer's name
   * @throws IllegalArgumentException if there is no such layer
   */
  public String layerClass(String layer) {
    return graph.layerClass(layer);
  }

  /** {@return the SHA-256 (hex) of {@code model.json} followed by the shards in manifest order} */
  public String weightsSha256() {
    return sha256;
  }

  /** {@return the number of weight values in the manifest (for MobileNetV2: 2,619,461)} */
  public long parameterCount() {
    return parameterCount;
  }

  /**
   * Runs the graph from the input up to {@code layer}, computing only the layers it depends on.
   *
   * @param images a {@code [N, C, H, W]} float32 batch; not closed
   * @param layer the layer whose output is returned
   * @return that layer's output ({@code [N, C, H, W]} or {@code [N, F]}), allocated in the manager
   *     of {@code images}; intermediates are released as soon as they are consumed
   * @throws IllegalArgumentException if the layer is unknown or the input shape does not match
   * @throws IllegalStateException if the model is closed
   */
  public NDArray forward(NDArray images, String layer) {
    Objects.requireNonNull(images, "images");
    ensureOpen();
    return graph.forward(images, layer);
  }

  /**
   * Copies every weight array the graph uses (after conversion to NCHW and batch-norm folding) to
   * the heap, keyed by a stable name; for audits such as checking that the weights never change.
   *
   * @return each weight array by name, copied
   * @throws IllegalStateException if the model is closed
   */
  public Map<String, float[]> weightSnapshot() {
    ensureOpen();
    Map<String, float[]> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  /**
   * {@return whether any weight array has a gradient attached (never, for a locked model)}
   *
   * @throws IllegalStateException if the model is closed
   */
  public boolean anyWeightRequiresGradient() {
    ensureOpen();
    return weights.values().stream().anyMatch(NDArray::hasGradient);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("KerasLayersModel is closed");
    }
  }

  /** Releases the weights; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
