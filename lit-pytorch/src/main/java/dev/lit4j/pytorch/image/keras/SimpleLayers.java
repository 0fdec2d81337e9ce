package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The weight-free Keras layers, plus Dense and unfolded BatchNormalization, on NCHW arrays. */
final class SimpleLayers {
  private SimpleLayers() {}

  /**
   * {@code InputLayer}: checks the batch's {@code [N, C, H, W]} against {@code [null, H, W, C]}.
   */
  static LayerOp input(LayerSpec spec) {
    JsonElement shapeJson = spec.config().get("batch_input_shape");
    if (shapeJson == null || shapeJson.isJsonNull()) {
      return LayerOp.IDENTITY;
    }
    JsonArray s = shapeJson.getAsJsonArray();
    if (s.size() != 4) {
      throw spec.unsupported("input rank " + (s.size() - 1) + " (only images [H, W, C])");
    }
    // Keras NHWC → our NCHW; -1 for dimensions left open (null).
    long[] expected = new long[4];
    int[] fromKeras = {0, 3, 1, 2};
    for (int i = 0; i < 4; i++) {
      JsonElement d = s.get(fromKeras[i]);
      expected[i] = d.isJsonNull() ? -1 : d.getAsLong();
    }
    return inputs -> {
      NDArray x = inputs.get(0);
      long[] actual = x.getShape().getShape();
      boolean ok = actual.length == 4;
      for (int i = 0; ok && i < 4; i++) {
        ok = expected[i] < 0 || expected[i] == actual[i];
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "input shape "
                + x.getShape()
                + " does not match the model's input "
                + Arrays.toString(expected).replace("-1", "N")
                + " (NCHW); preprocess images to that size");
      }
      return x;
    };
  }

  /**
   * {@code ZeroPadding2D}: {@code padding} is {@code p}, {@code [ph, pw]} or {@code [[t, b], [l,
   * r]]}.
   */
  static LayerOp zeroPadding(LayerSpec spec) {
    spec.requireChannelsLast();
    JsonElement p = spec.config().get("padding");
    long top;
    long bottom;
    long left;
    long right;
    if (p.isJsonPrimitive()) {
      top = bottom = left = right = p.getAsLong();
    } else {
      JsonArray a = p.getAsJsonArray();
      if (a.get(0).isJsonPrimitive()) {
        top = bottom = a.get(0).getAsLong();
        left = right = a.get(1).getAsLong();
      } else {
        top = a.get(0).getAsJsonArray().get(0).getAsLong();
        bottom = a.get(0).getAsJsonArray().get(1).getAsLong();
        left = a.get(1).getAsJsonArray().get(0).getAsLong();
        right = a.get(1).getAsJsonArray().get(1).getAsLong();
      }
    }
    // DJL/PyTorch pad lists start at the last axis: (left, right, top, bottom).
    Shape pad = new Shape(left, right, top, bottom);
    return inputs -> inputs.get(0).pad(pad, 0);
  }

  /** {@code ReLU} with Keras' {@code max_value}, {@code negative_slope} and {@code threshold}. */
  static LayerOp relu(LayerSpec spec) {
    double max = spec.doubleOr("max_value", Double.POSITIVE_INFINITY);
    double slope = spec.doubleOr("negative_slope", 0);
    double threshold = spec.doubleOr("threshold", 0);
    if (threshold != 0) {
      throw spec.unsupported("threshold = " + threshold + " (only 0)");
    }
    return inputs -> {
      NDArray x = inputs.get(0);
      if (slope == 0) {
        return Double.isInfinite(max) ? x.maximum(0f) : x.clip(0f, (float) max);
      }
      try (NDArray pos = x.maximum(0f);
          NDArray neg = x.minimum(0f);
          NDArray scaled = neg.mul((float) slope)) {
        NDArray leaky = pos.add(scaled);
        if (Double.isInfinite(max)) {
          return leaky;
        }
        NDArray capped = leaky.minimum((float) max);
        leaky.close();
        return capped;
      }
    };
  }

  /** {@code Activation} layer. */
  static LayerOp activation(LayerSpec spec) {
    Activation a = Activation.of(spec);
    return inputs -> a.apply(inputs.get(0));
  }

  /** {@code Add}: element-wise sum of all inputs. */
  static LayerOp add(LayerSpec spec) {
    if (spec.inbound().size() < 2) {
      throw spec.unsupported(spec.inbound().size() + " inputs (Add needs at least 2)");
    }
    return inputs -> {
      NDArray sum = inputs.get(0).add(inputs.get(1));
      for (int i = 2; i < inputs.size(); i++) {
        NDArray next = sum.add(inputs.get(i));
        sum.close();
        sum = next;
      }
      return sum;
    };
  }

  /** {@code AveragePooling2D} with {@code valid} padding. */
  static LayerOp averagePooling(LayerSpec spec) {
    spec.requireChannelsLast();
    int[] pool = spec.pair("pool_size", new int[] {2, 2});
    int[] strides = spec.pair("strides", pool);
    String padding = spec.stringOr("padding", "valid");
    if (!padding.equals("valid")) {
      throw spec.unsupported("padding '" + padding + "' (only valid)");
    }
    Shape kernel = new Shape(pool[0], pool[1]);
    Shape stride = new Shape(strides[0], strides[1]);
    return inputs -> Pool.avgPool2d(inputs.get(0), kernel, stride, new Shape(0, 0), false, true);
  }

  /** {@code GlobalAveragePooling2D}: {@code [N, C, H, W] → [N, C]} (or {@code [N, C, 1, 1]}). */
  static LayerOp globalAveragePooling(LayerSpec spec) {
    spec.requireChannelsLast();
    boolean keepDims = spec.boolOr("keepdims", false);
    return inputs -> {
      NDArray x = inputs.get(0);
      Shape s = x.getShape();
      // DJL's PyTorch binding reduces one axis per mean: flatten H·W first.
      try (NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3))) {
        return flat.mean(new int[] {2}, keepDims)
            .reshape(
                keepDims ? new Shape(s.get(0), s.get(1), 1, 1) : new Shape(s.get(0), s.get(1)));
      }
    };
  }

  /** {@code Flatten} in Keras' (channels-last) element order. */
  static LayerOp flatten(LayerSpec spec) {
    spec.requireChannelsLast();
    return inputs -> {
      NDArray x = inputs.get(0);
      if (x.getShape().dimension() != 4) {
        return x.reshape(x.getShape().get(0), -1);
      }
      try (NDArray nhwc = x.transpose(0, 2, 3, 1)) {
        return nhwc.reshape(x.getShape().get(0), -1);
      }
    };
  }

  /** {@code Dense}: Keras kernel {@code [in, out]} → DJL weight {@code [out, in]}. */
  static LayerOp dense(
      LayerSpec spec, WeightManifest.Tensor kernel, WeightManifest.Tensor bias, WeightStore store) {
    int[] k = kernel.shape();
    if (k.length != 2) {
      throw spec.unsupported("kernel rank " + k.length + " (expected 2)");
    }
    NDArray weight =
        store.create(
            spec.name() + "/kernel",
            new Shape(k[1], k[0]),
            () -> {
              float[] values = kernel.values();
              float[] w = new float[k[0] * k[1]];
              for (int i = 0; i < k[0]; i++) {
                for (int o = 0; o < k[1]; o++) {
                  w[o * k[0] + i] = values[i * k[1] + o];
                }
              }
              return w;
            });
    NDArray b =
        store.create(
            spec.name() + "/bias",
            new Shape(k[1]),
            () -> bias == null ? new float[k[1]] : bias.values());
    Activation activation = Activation.of(spec);
    return inputs -> {
      NDArray x = inputs.get(0);
      if (x.getShape().dimension() != 2) {
        throw new IllegalArgumentException(
            "layer '" + spec.name() + "' (Dense) needs [N, features] input, got " + x.getShape());
      }
      NDArray y = Linear.linear(x, weight, b).singletonOrThrow();
      NDArray a = activation.apply(y);
      if (a != y) {
        y.close();
      }
      return a;
    };
  }

  /** Standalone inference {@code BatchNormalization} over channels: {@code y = x · a + b}. */
  static LayerOp batchNorm(LayerSpec spec, Convolution2d.BatchNormFold fold, WeightStore store) {
    int c = fold.channels();
    NDArray scale =
        store.create(spec.name() + "/scale", new Shape(1, c, 1, 1), () -> toFloats(fold.a()));
    NDArray shift =
        store.create(spec.name() + "/shift", new Shape(1, c, 1, 1), () -> toFloats(fold.b()));
    return inputs -> {
      NDArray x = inputs.get(0);
      if (x.getShape().dimension() != 4) {
        throw new IllegalArgumentException(
            "layer '"
                + spec.name()
                + "' (BatchNormalization) is supported on images [N, C, H, W], got "
                + x.getShape());
      }
      try (NDArray scaled = x.mul(scale)) {
        return scaled.add(shift);
      }
    };
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * The layer classes without weights, which the locked and the trainable model run with the same
   * ops ({@link #weightless}).
   */
  static final List<String> WEIGHTLESS =
      List.of(
          "ZeroPadding2D",
          "ReLU",
          "Activation",
          "Add",
          "AveragePooling2D",
          "GlobalAveragePooling2D",
          "Flatten");

  /**
   * {@return the op of a layer whose class is in {@link #WEIGHTLESS}, or empty for any other class}
   */
  static Optional<LayerOp> weightless(LayerSpec s) {
    return switch (s.className()) {
      case "ZeroPadding2D" -> Optional.of(zeroPadding(s));
      case "ReLU" -> Optional.of(relu(s));
      case "Activation" -> Optional.of(activation(s));
      case "Add" -> Optional.of(add(s));
      case "AveragePooling2D" -> Optional.of(averagePooling(s));
      case "GlobalAveragePooling2D" -> Optional.of(globalAveragePooling(s));
      case "Flatten" -> Optional.of(flatten(s));
      default -> Optional.empty();
    };
  }

  /** {@return the layer classes the locked importer supports} */
  static List<String> supported() {
    List<String> out = new ArrayList<>(TrainableGraphBuilder.SUPPORTED);
    out.addAll(List.of("Dense", "Dropout"));
    return List.copyOf(out);
  }
}
