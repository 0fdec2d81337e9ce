package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import java.util.function.Function;

/**
 * A Keras {@code BatchNormalization} over channels, unfolded: {@code y = γ · (x − μ) / √(σ² + ε) +
 * β} with a trainable gain {@code γ} and shift {@code β} and, per {@link ForwardMode}, the batch's
 * statistics (which also update the moving ones) or the moving statistics. Runs as PyTorch's {@code
 * batch_norm}, which is differentiable in the input, {@code γ} and {@code β}.
 *
 * <p>Deviation from Keras: the moving statistics follow the momentum the model was built with
 * (Keras reads each layer's own {@code momentum}, 0.999 in {@code keras.applications}'
 * MobileNetV2), and the moving variance is updated with the unbiased batch variance, as
 * TensorFlow's fused batch norm (which Keras uses for 4-D inputs) and PyTorch do, while Keras'
 * unfused path uses the biased one.
 */
final class TrainableBatchNorm {
  private final NDArray gamma;
  private final NDArray beta;
  private final NDArray movingMean;
  private final NDArray movingVariance;
  private final float epsilon;
  private final float momentum;
  private final String layer;

  private TrainableBatchNorm(
      String layer,
      NDArray gamma,
      NDArray beta,
      NDArray movingMean,
      NDArray movingVariance,
      float epsilon,
      float momentum) {
    this.layer = layer;
    this.gamma = gamma;
    this.beta = beta;
    this.movingMean = movingMean;
    this.movingVariance = movingVariance;
    this.epsilon = epsilon;
    this.momentum = momentum;
  }

  /**
   * Declares the layer's {@code gamma} and {@code beta} (constants 1 and 0 where Keras' {@code
   * scale} or {@code center} is off) and its moving statistics in {@code weights}.
   *
   * @param tensors the manifest's tensors, holding {@code <layer>/moving_mean} etc.
   * @param momentum the weight of the old moving statistics in an update, in {@code [0, 1]}
   */
  static TrainableBatchNorm build(
      LayerSpec spec,
      Function<String, WeightManifest.Tensor> tensors,
      TrainableWeights weights,
      double momentum) {
    spec.requireChannelAxis();
    String n = spec.name() + "/";
    WeightManifest.Tensor mean = tensors.apply("moving_mean");
    Shape shape = new Shape(mean.size());
    NDArray gamma =
        spec.boolOr("scale", true)
            ? weights.gamma(n + "gamma", shape, tensors.apply("gamma")::values).getArray()
            : weights.constant(shape, 1);
    NDArray beta =
        spec.boolOr("center", true)
            ? weights.beta(n + "beta", shape, tensors.apply("beta")::values).getArray()
            : weights.constant(shape, 0);
    Parameter movingMean = weights.movingMean(n + "moving_mean", shape, mean::values);
    Parameter movingVariance =
        weights.movingVariance(
            n + "moving_variance", shape, tensors.apply("moving_variance")::values);
    return new TrainableBatchNorm(
        spec.name(),
        gamma,
        beta,
        movingMean.getArray(),
        movingVariance.getArray(),
        (float) spec.doubleOr("epsilon", 1e-3),
        (float) momentum);
  }

  /** {@return the op for {@code mode}; both share this layer's arrays} */
  LayerOp op(ForwardMode mode) {
    boolean training = mode == ForwardMode.TRAINING;
    return inputs -> {
      NDArray x = inputs.get(0);
      if (x.getShape().dimension() != 4) {
        throw new IllegalArgumentException(
            "layer '"
                + layer
                + "' (BatchNormalization) is supported on images [N, C, H, W], got "
                + x.getShape());
      }
      // DJL passes 1 − momentum to PyTorch, whose momentum weighs the new value: Keras' meaning.
      // Axis 1 is the channel axis of NCHW.
      return BatchNorm.batchNorm(
              x, movingMean, movingVariance, gamma, beta, 1, momentum, epsilon, training)
          .singletonOrThrow();
    };
  }
}
