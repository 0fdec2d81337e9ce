package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keras {@code Conv2D} and {@code DepthwiseConv2D} as one grouped PyTorch convolution, optionally
 * with a following inference-mode {@code BatchNormalization} folded into its kernel and bias.
 *
 * <p>Kernels are converted from Keras layout to PyTorch's {@code [out, in / groups, kh, kw]}:
 * {@code Conv2D [kh, kw, in, out]} by transposition; {@code DepthwiseConv2D [kh, kw, in, mult]} to
 * {@code [in · mult, 1, kh, kw]} with output channel {@code i · mult + m} (TF's order), run with
 * {@code groups = in}.
 *
 * <p>{@code padding = "same"} follows TF: along each axis the output has {@code ceil(in / stride)}
 * positions and the total padding {@code max((out − 1) · stride + (k − 1) · dilation + 1 − in, 0)}
 * is split with the smaller half before (top/left) and the larger after (bottom/right). When the
 * split is uneven (e.g. stride 2 on an even input) the input is padded explicitly first, because
 * PyTorch's convolution pads symmetrically.
 */
final class Convolution2d implements LayerOp {
  private final NDArray weight;
  private final NDArray bias;
  private final int[] kernel;
  private final int[] stride;
  private final int[] dilation;
  private final boolean samePadding;
  private final int groups;
  private final Activation activation;

  private Convolution2d(
      NDArray weight,
      NDArray bias,
      int[] kernel,
      int[] stride,
      int[] dilation,
      boolean samePadding,
      int groups,
      Activation activation) {
    this.weight = weight;
    this.bias = bias;
    this.kernel = kernel;
    this.stride = stride;
    this.dilation = dilation;
    this.samePadding = samePadding;
    this.groups = groups;
    this.activation = activation;
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
    spec.requireChannelsLast();
    boolean depthwise = spec.className().equals("DepthwiseConv2D");
    int[] k = keras.shape();
    if (k.length != 4) {
      throw spec.unsupported("kernel rank " + k.length + " (expected 4)");
    }
    int kh = k[0];
    int kw = k[1];
    int in = k[2];
    int out = depthwise ? in * k[3] : k[3];
    int groups = depthwise ? in : spec.intOr("groups", 1);
    int inPerGroup = depthwise ? 1 : in;
    if (kerasBias != null && kerasBias.size() != out) {
      throw spec.unsupported("bias of " + kerasBias.size() + " values for " + out + " filters");
    }
    if (fold != null && fold.channels() != out) {
      throw spec.unsupported(
          "batch normalisation over " + fold.channels() + " channels after " + out + " filters");
    }
    String padding = spec.stringOr("padding", "valid");
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw spec.unsupported("padding '" + padding + "' (supported: valid, same)");
    }
    Converted converted = new Converted(() -> convert(depthwise, keras, kerasBias, fold, out));
    String prefix = spec.name() + (fold == null ? "" : "+bn");
    return new Convolution2d(
        store.create(
            prefix + "/kernel", new Shape(out, inPerGroup, kh, kw), () -> converted.get()[0]),
        store.create(prefix + "/bias", new Shape(out), () -> converted.get()[1]),
        new int[] {kh, kw},
        spec.pair("strides", new int[] {1, 1}),
        spec.pair("dilation_rate", new int[] {1, 1}),
        padding.equals("same"),
        groups,
        Activation.of(spec));
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
      boolean depthwise,
      WeightManifest.Tensor keras,
      WeightManifest.Tensor kerasBias,
      BatchNormFold fold,
      int out) {
    int[] k = keras.shape();
    int kh = k[0];
    int kw = k[1];
    int in = k[2];
    float[] values = keras.values();
    float[] w;
    if (depthwise) {
      int mult = k[3];
      w = new float[out * kh * kw];
      for (int y = 0; y < kh; y++) {
        for (int x = 0; x < kw; x++) {
          for (int i = 0; i < in; i++) {
            for (int m = 0; m < mult; m++) {
              w[((i * mult + m) * kh + y) * kw + x] = values[((y * kw + x) * in + i) * mult + m];
            }
          }
        }
      }
    } else {
      w = new float[out * in * kh * kw];
      for (int y = 0; y < kh; y++) {
        for (int x = 0; x < kw; x++) {
          for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
              w[((o * in + i) * kh + y) * kw + x] = values[((y * kw + x) * in + i) * out + o];
            }
          }
        }
      }
    }
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
    NDArray x = inputs.get(0);
    long[] pad = {0, 0};
    NDArray padded = null;
    if (samePadding) {
      long[] before = new long[2];
      long[] after = new long[2];
      for (int axis = 0; axis < 2; axis++) {
        long size = x.getShape().get(2 + axis);
        long outSize = (size + stride[axis] - 1) / stride[axis];
        long total =
            Math.max(
                (outSize - 1) * stride[axis]
                    + (long) (kernel[axis] - 1) * dilation[axis]
                    + 1
                    - size,
                0);
        before[axis] = total / 2;
        after[axis] = total - before[axis];
      }
      if (before[0] == after[0] && before[1] == after[1]) {
        pad = before;
      } else {
        // PyTorch pads symmetrically; TF puts the odd pixel at the bottom/right.
        padded = x.pad(new Shape(before[1], after[1], before[0], after[0]), 0);
        x = padded;
      }
    }
    NDArray y =
        Conv2d.conv2d(
                x,
                weight,
                bias,
                new Shape(stride[0], stride[1]),
                new Shape(pad[0], pad[1]),
                new Shape(dilation[0], dilation[1]),
                groups)
            .singletonOrThrow();
    if (padded != null) {
      padded.close();
    }
    NDArray activated = activation.apply(y);
    if (activated != y) {
      y.close();
    }
    return activated;
  }
}
