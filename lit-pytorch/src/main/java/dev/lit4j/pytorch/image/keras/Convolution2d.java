package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keras {@code Conv2D} and {@code DepthwiseConv2D} as one grouped PyTorch convolution ({@link
 * ConvolutionSpec}: layouts, padding), optionally with a following inference-mode {@code
 * BatchNormalization} folded into its kernel and bias.
 */
final class Convolution2d implements LayerOp {
  private final ConvolutionSpec geometry;
  private final NDArray weight;
  private final NDArray bias;

  private Convolution2d(ConvolutionSpec geometry, NDArray weight, NDArray bias) {
    this.geometry = geometry;
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * Folded inference batch normalisation: {@code y = x · a + b} per output channel, over {@code
   * channels} channels; {@code a} and {@code b} are computed on first use.
   */
  static final class BatchNormFold {
    private final int channels;
    private final Supplier<double[][]> compute;
    private double[][] ab;

    BatchNormFold(int channels, Supplier<double[][]> compute) {
      this.channels = channels;
      this.compute = compute;
    }

    int channels() {
      return channels;
    }

    double[] a() {
      return both()[0];
    }

    double[] b() {
      return both()[1];
    }

    private synchronized double[][] both() {
      if (ab == null) {
        ab = compute.get();
      }
      return ab;
    }
  }

  /**
   * Builds the op from a Conv2D or DepthwiseConv2D spec and its weights. The kernel and bias are
   * converted (transposed, batch normalisation folded in) only if the store does not hold them from
   * an earlier conversion.
   *
   * @param fold a batch normalisation to fold in, or {@code null}
   */
  static Convolution2d build(
      LayerSpec spec,
      WeightManifest.Tensor keras,
      WeightManifest.Tensor kerasBias,
      BatchNormFold fold,
      WeightStore store) {
    ConvolutionSpec geometry = ConvolutionSpec.of(spec, keras);
    int out = geometry.out();
    if (kerasBias != null && kerasBias.size() != out) {
      throw spec.unsupported("bias of " + kerasBias.size() + " values for " + out + " filters");
    }
    if (fold != null && fold.channels() != out) {
      throw spec.unsupported(
          "batch normalisation over " + fold.channels() + " channels after " + out + " filters");
    }
    Converted converted = new Converted(() -> convert(geometry, keras, kerasBias, fold));
    String prefix = spec.name() + (fold == null ? "" : "+bn");
    return new Convolution2d(
        geometry,
        store.create(prefix + "/kernel", geometry.kernelShape(), () -> converted.get()[0]),
        store.create(prefix + "/bias", new Shape(out), () -> converted.get()[1]));
  }

  /** The kernel and bias of one convolution, converted once when the first of them is needed. */
  private static final class Converted {
    private final Supplier<float[][]> compute;
    private float[][] kernelAndBias;

    Converted(Supplier<float[][]> compute) {
      this.compute = compute;
    }

    float[][] get() {
      if (kernelAndBias == null) {
        kernelAndBias = compute.get();
      }
      return kernelAndBias;
    }
  }

  /** Converts a Keras kernel (and bias, and a batch normalisation to fold) to PyTorch's layout. */
  private static float[][] convert(
      ConvolutionSpec geometry,
      WeightManifest.Tensor keras,
      WeightManifest.Tensor kerasBias,
      BatchNormFold fold) {
    int out = geometry.out();
    float[] w = geometry.torchKernel(keras);
    double[] b = new double[out];
    if (kerasBias != null) {
      float[] bias = kerasBias.values();
      for (int o = 0; o < out; o++) {
        b[o] = bias[o];
      }
    }
    if (fold != null) {
      double[] fa = fold.a();
      double[] fb = fold.b();
      int perOut = w.length / out;
      for (int o = 0; o < out; o++) {
        for (int j = 0; j < perOut; j++) {
          w[o * perOut + j] = (float) (w[o * perOut + j] * fa[o]);
        }
        b[o] = b[o] * fa[o] + fb[o];
      }
    }
    float[] bf = new float[out];
    for (int o = 0; o < out; o++) {
      bf[o] = (float) b[o];
    }
    return new float[][] {w, bf};
  }

  @Override
  public NDArray apply(List<NDArray> inputs) {
    return geometry.apply(inputs.get(0), weight, bias);
  }
}
