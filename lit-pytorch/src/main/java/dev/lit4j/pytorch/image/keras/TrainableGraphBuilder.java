package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the trainable graph of a Keras model up to one layer: the layers that layer depends on,
 * nothing after it. Convolutions and batch normalisations get trainable weights ({@link
 * TrainableConvolution}, {@link TrainableBatchNorm}); weight-free layers reuse the locked
 * importer's ops ({@link SimpleLayers}), which are differentiable. Two graphs share every weight,
 * one per {@link ForwardMode}; they differ only in how batch normalisation runs.
 */
final class TrainableGraphBuilder {

  /** The graphs of both modes, whose last layer is the target. */
  record Graphs(LayerGraph training, LayerGraph inference) {
    LayerGraph of(ForwardMode mode) {
      return mode == ForwardMode.TRAINING ? training : inference;
    }
  }

  /** The layer classes a trainable graph supports (up to its target layer). */
  static final List<String> SUPPORTED =
      Stream.concat(
              Stream.of("InputLayer", "Conv2D", "DepthwiseConv2D", "BatchNormalization"),
              SimpleLayers.WEIGHTLESS.stream())
          .toList();

  private TrainableGraphBuilder() {}

  /**
   * Builds the graphs of {@code file} up to {@code target}, declaring every weight they use in
   * {@code weights} in topological order.
   *
   * @param momentum the batch normalisations' momentum
   * @throws IllegalArgumentException if {@code target} is not a layer (the layers are listed), or a
   *     layer it depends on is unsupported (named, with the supported classes) or lacks a weight
   */
  static Graphs build(
      KerasModelFile file, String target, TrainableWeights weights, double momentum) {
    List<LayerSpec> specs = file.specs();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      if (index.put(specs.get(i).name(), i) != null) {
        throw new IllegalArgumentException(
            "layer name '" + specs.get(i).name() + "' is used twice");
      }
    }
    Integer targetIndex = index.get(target);
    if (targetIndex == null) {
      throw new IllegalArgumentException(
          "unknown layer '"
              + target
              + "'; the model's layers are "
              + specs.stream().map(LayerSpec::name).toList());
    }
    boolean[] needed = new boolean[targetIndex + 1];
    needed[targetIndex] = true;
    for (int i = targetIndex; i >= 0; i--) {
      if (needed[i]) {
        for (String in : specs.get(i).inbound()) {
          Integer j = index.get(in);
          if (j == null || j >= i) {
            throw new IllegalArgumentException(
                "layer '"
                    + specs.get(i).name()
                    + "' reads '"
                    + in
                    + "', which is not an earlier layer");
          }
          needed[j] = true;
        }
      }
    }
    List<LayerGraph.Node> training = new ArrayList<>();
    List<LayerGraph.Node> inference = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i <= targetIndex; i++) {
      if (!needed[i]) {
        continue;
      }
      LayerSpec s = specs.get(i);
      int[] inputs = s.inbound().stream().mapToInt(position::get).toArray();
      if (s.className().equals("BatchNormalization")) {
        TrainableBatchNorm bn =
            TrainableBatchNorm.build(s, param -> weight(file, s, param), weights, momentum);
        training.add(
            new LayerGraph.Node(s.name(), s.className(), bn.op(ForwardMode.TRAINING), inputs));
        inference.add(
            new LayerGraph.Node(s.name(), s.className(), bn.op(ForwardMode.INFERENCE), inputs));
      } else {
        LayerGraph.Node node =
            new LayerGraph.Node(s.name(), s.className(), op(file, s, weights), inputs);
        training.add(node);
        inference.add(node);
      }
      position.put(s.name(), training.size() - 1);
    }
    return new Graphs(new LayerGraph(training), new LayerGraph(inference));
  }

  private static LayerOp op(KerasModelFile file, LayerSpec s, TrainableWeights weights) {
    Optional<LayerOp> weightless = SimpleLayers.weightless(s);
    if (weightless.isPresent()) {
      return weightless.get();
    }
    return switch (s.className()) {
      case "InputLayer" -> input(s);
      case "Conv2D" ->
          TrainableConvolution.build(
              s, s.name() + "/kernel", weight(file, s, "kernel"), bias(file, s), weights);
      case "DepthwiseConv2D" ->
          TrainableConvolution.build(
              s,
              s.name() + "/depthwise_kernel",
              weight(file, s, "depthwise_kernel"),
              bias(file, s),
              weights);
      default ->
          throw new IllegalArgumentException(
              "layer '"
                  + s.name()
                  + "' is a "
                  + s.className()
                  + ", which the trainable model does not support; it supports "
                  + SUPPORTED
                  + " up to the pooled layer: pool at an earlier layer");
    };
  }

  /**
   * {@code InputLayer}: checks that the batch is {@code [N, C, H, W]} with the model's channel
   * count; unlike the locked model's input, any height and width are accepted (a fully
   * convolutional prefix runs at any resolution, and training may use a smaller one).
   */
  private static LayerOp input(LayerSpec spec) {
    JsonElement shapeJson = spec.config().get("batch_input_shape");
    long channels = -1;
    if (shapeJson != null && !shapeJson.isJsonNull()) {
      JsonArray s = shapeJson.getAsJsonArray();
      if (s.size() != 4) {
        throw spec.unsupported("input rank " + (s.size() - 1) + " (only images [H, W, C])");
      }
      channels = s.get(3).isJsonNull() ? -1 : s.get(3).getAsLong();
    }
    long expected = channels;
    return inputs -> {
      NDArray x = inputs.get(0);
      if (x.getShape().dimension() != 4 || (expected >= 0 && x.getShape().get(1) != expected)) {
        throw new IllegalArgumentException(
            "input shape "
                + x.getShape()
                + " does not match the model's input [N, "
                + (expected < 0 ? "C" : expected)
                + ", H, W] (NCHW)");
      }
      return x;
    };
  }

  private static WeightManifest.Tensor bias(KerasModelFile file, LayerSpec s) {
    return s.boolOr("use_bias", true) ? weight(file, s, "bias") : null;
  }

  private static WeightManifest.Tensor weight(KerasModelFile file, LayerSpec s, String param) {
    return file.weight(s, param);
  }
}
