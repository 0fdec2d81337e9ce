package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns layer specs into ops, folding batch normalisation into convolutions where it can. */
final class GraphBuilder {
  private final List<LayerSpec> specs;
  private final Map<String, WeightManifest.Tensor> tensors;
  private final WeightStore store;
  private final Map<String, Integer> index = new HashMap<>();
  private final int[] consumers;
  private final Set<Integer> foldedInto = new HashSet<>();

  GraphBuilder(
      List<LayerSpec> specs,
      Map<String, WeightManifest.Tensor> tensors,
      NDManager m,
      Map<String, FloatTensor> prepared) {
    this.specs = specs;
    this.tensors = tensors;
    this.store = new WeightStore(m, prepared);
    this.consumers = new int[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      LayerSpec s = specs.get(i);
      if (index.put(s.name(), i) != null) {
        throw new IllegalArgumentException("layer name '" + s.name() + "' is used twice");
      }
      for (String in : s.inbound()) {
        Integer j = index.get(in);
        if (j == null) {
          throw new IllegalArgumentException(
              "layer '" + s.name() + "' reads '" + in + "', which is not an earlier layer");
        }
        consumers[j]++;
      }
      if (s.inbound().isEmpty() && !s.className().equals("InputLayer")) {
        throw s.unsupported("position: it has no inputs but is not the InputLayer");
      }
    }
  }

  int[] inputs(int i) {
    LayerSpec s = specs.get(i);
    if (foldedInto.contains(i)) {
      return indices(specs.get(index.get(s.inbound().get(0))).inbound());
    }
    return indices(s.inbound());
  }

  private int[] indices(List<String> names) {
    return names.stream().mapToInt(index::get).toArray();
  }

  Map<String, NDArray> weights() {
    return store.arrays();
  }

  /** {@return how many weight arrays were converted rather than taken from prepared ones} */
  int convertedCount() {
    return store.computedCount();
  }

  LayerOp op(int i) {
    LayerSpec s = specs.get(i);
    Optional<LayerOp> weightless = SimpleLayers.weightless(s);
    if (weightless.isPresent()) {
      return weightless.get();
    }
    return switch (s.className()) {
      case "InputLayer" -> SimpleLayers.input(s);
      case "Conv2D", "DepthwiseConv2D" -> convolution(s, null);
      case "BatchNormalization" -> batchNorm(i, s);
      case "Dense" -> SimpleLayers.dense(s, weight(s, "kernel"), optionalWeight(s, "bias"), store);
      case "Dropout" -> LayerOp.IDENTITY;
      default ->
          throw new IllegalArgumentException(
              "layer '"
                  + s.name()
                  + "' is a "
                  + s.className()
                  + ", which the importer does not support; supported layers: "
                  + SimpleLayers.supported());
    };
  }

  private LayerOp convolution(LayerSpec s, Convolution2d.BatchNormFold fold) {
    String kernelName = s.className().equals("DepthwiseConv2D") ? "depthwise_kernel" : "kernel";
    WeightManifest.Tensor bias = s.boolOr("use_bias", true) ? weight(s, "bias") : null;
    return Convolution2d.build(s, weight(s, kernelName), bias, fold, store);
  }

  private LayerOp batchNorm(int i, LayerSpec s) {
    s.requireChannelAxis();
    double eps = s.doubleOr("epsilon", 1e-3);
    WeightManifest.Tensor mean = weight(s, "moving_mean");
    WeightManifest.Tensor var = weight(s, "moving_variance");
    WeightManifest.Tensor gamma = s.boolOr("scale", true) ? weight(s, "gamma") : null;
    WeightManifest.Tensor beta = s.boolOr("center", true) ? weight(s, "beta") : null;
    int c = mean.size();
    Convolution2d.BatchNormFold fold =
        new Convolution2d.BatchNormFold(
            c,
            () -> {
              double[] a = new double[c];
              double[] b = new double[c];
              for (int j = 0; j < c; j++) {
                double g = gamma == null ? 1 : gamma.values()[j];
                a[j] = g / Math.sqrt(var.values()[j] + eps);
                b[j] = (beta == null ? 0 : beta.values()[j]) - mean.values()[j] * a[j];
              }
              return new double[][] {a, b};
            });
    if (s.inbound().size() == 1) {
      int producer = index.get(s.inbound().get(0));
      LayerSpec p = specs.get(producer);
      boolean conv = p.className().equals("Conv2D") || p.className().equals("DepthwiseConv2D");
      if (conv && consumers[producer] == 1 && p.stringOr("activation", "linear").equals("linear")) {
        foldedInto.add(i);
        return convolution(p, fold);
      }
    }
    return SimpleLayers.batchNorm(s, fold, store);
  }

  private WeightManifest.Tensor weight(LayerSpec s, String param) {
    WeightManifest.Tensor t = tensors.get(s.name() + "/" + param);
    if (t == null) {
      throw new IllegalArgumentException(
          "layer '"
              + s.name()
              + "' ("
              + s.className()
              + ") needs weight '"
              + s.name()
              + "/"
              + param
              + "', which the weights manifest lacks");
    }
    return t;
  }

  private WeightManifest.Tensor optionalWeight(LayerSpec s, String param) {
    return s.boolOr("use_bias", true) ? weight(s, param) : null;
  }
}
