package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A Keras {@code Conv2D} or {@code DepthwiseConv2D} with a trainable kernel (and bias, where the
 * layer has one), run as one grouped PyTorch convolution ({@link ConvolutionSpec}). Nothing is
 * folded into it: a following {@code BatchNormalization} is its own {@link TrainableBatchNorm}.
 */
final class TrainableConvolution implements LayerOp {
  private final ConvolutionSpec geometry;
  private final Parameter kernel;
  private final Parameter bias; // null without use_bias

  private TrainableConvolution(ConvolutionSpec geometry, Parameter kernel, Parameter bias) {
    this.geometry = geometry;
    this.kernel = kernel;
    this.bias = bias;
  }

  /**
   * Declares the layer's kernel (and bias) in {@code weights} under their Keras names.
   *
   * @param keras the Keras kernel, named {@code kernelName}
   * @param kerasBias the Keras bias, named {@code <layer>/bias}, or {@code null} without one
   * @throws IllegalArgumentException if the geometry is unsupported or the bias does not fit
   */
  static TrainableConvolution build(
      LayerSpec spec,
      String kernelName,
      WeightManifest.Tensor keras,
      WeightManifest.Tensor kerasBias,
      TrainableWeights weights) {
    ConvolutionSpec geometry = ConvolutionSpec.of(spec, keras);
    if (kerasBias != null && kerasBias.size() != geometry.out()) {
      throw spec.unsupported(
          "bias of " + kerasBias.size() + " values for " + geometry.out() + " filters");
    }
    Parameter kernel =
        weights.kernel(
            kernelName,
            geometry.kernelShape(),
            geometry.fanIn(),
            () -> geometry.torchKernel(keras));
    Parameter bias =
        kerasBias == null
            ? null
            : weights.bias(spec.name() + "/bias", new Shape(geometry.out()), kerasBias::values);
    return new TrainableConvolution(geometry, kernel, bias);
  }

  @Override
  public NDArray apply(List<NDArray> inputs) {
    return geometry.apply(inputs.get(0), kernel.getArray(), bias == null ? null : bias.getArray());
  }
}
