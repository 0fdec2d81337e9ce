package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;

/**
 * Keras activation functions by name, applied on NCHW or {@code [N, C]} arrays (channels: axis 1).
 */
enum Activation {
  LINEAR,
  RELU,
  RELU6,
  SIGMOID,
  TANH,
  SOFTMAX;

  static Activation of(LayerSpec spec) {
    String name = spec.stringOr("activation", "linear");
    return switch (name) {
      case "linear" -> LINEAR;
      case "relu" -> RELU;
      case "relu6" -> RELU6;
      case "sigmoid" -> SIGMOID;
      case "tanh" -> TANH;
      case "softmax" -> SOFTMAX;
      default ->
          throw spec.unsupported(
              "activation '" + name + "' (supported: linear, relu, relu6, sigmoid, tanh, softmax)");
    };
  }

  NDArray apply(NDArray x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> x.maximum(0f);
      case RELU6 -> x.clip(0f, 6f);
      case SIGMOID -> ai.djl.nn.Activation.sigmoid(x);
      case TANH -> x.tanh();
      case SOFTMAX -> x.softmax(1);
    };
  }
}
