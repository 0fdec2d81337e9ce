package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The geometry of a Keras {@code Conv2D} or {@code DepthwiseConv2D} and how it runs as one grouped
 * PyTorch convolution: kernel layout conversion, TF's {@code "same"} padding and the activation.
 * Shared by the locked {@link Convolution2d} and the {@link TrainableConvolution}; the kernel and
 * bias are the caller's.
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
 *
 * @param depthwise whether the layer is a {@code DepthwiseConv2D}
 * @param kh kernel height
 * @param kw kernel width
 * @param in input channels
 * @param out output channels (filters, or {@code in · depth_multiplier})
 * @param groups convolution groups ({@code in} for a depthwise convolution)
 * @param stride strides {@code [y, x]}
 * @param dilation dilation rates {@code [y, x]}
 * @param samePadding whether {@code padding = "same"} (else {@code "valid"})
 * @param activation the layer's fused activation
 */
record ConvolutionSpec(
    boolean depthwise,
    int kh,
    int kw,
    int in,
    int out,
    int groups,
    int[] stride,
    int[] dilation,
    boolean samePadding,
    Activation activation) {

  /**
   * Reads the geometry of {@code spec}, whose Keras kernel is {@code keras}.
   *
   * @throws IllegalArgumentException if the layer uses channels-first data, a kernel that is not
   *     4-D or a padding other than {@code valid} and {@code same} (the layer is named)
   */
  static ConvolutionSpec of(LayerSpec spec, WeightManifest.Tensor keras) {
    spec.requireChannelsLast();
    boolean depthwise = spec.className().equals("DepthwiseConv2D");
    int[] k = keras.shape();
    if (k.length != 4) {
      throw spec.unsupported("kernel rank " + k.length + " (expected 4)");
    }
    int in = k[2];
    String padding = spec.stringOr("padding", "valid");
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw spec.unsupported("padding '" + padding + "' (supported: valid, same)");
    }
    return new ConvolutionSpec(
        depthwise,
        k[0],
        k[1],
        in,
        depthwise ? in * k[3] : k[3],
        depthwise ? in : spec.intOr("groups", 1),
        spec.pair("strides", new int[] {1, 1}),
        spec.pair("dilation_rate", new int[] {1, 1}),
        padding.equals("same"),
        Activation.of(spec));
  }

  /** {@return the kernel's input channels per group: 1 for a depthwise convolution} */
  int inPerGroup() {
    return depthwise ? 1 : in;
  }

  /** {@return PyTorch's kernel shape {@code [out, in / groups, kh, kw]}} */
  Shape kernelShape() {
    return new Shape(out, inPerGroup(), kh, kw);
  }

  /** {@return the inputs each output sums over, {@code in / groups · kh · kw}: He init's fan-in} */
  int fanIn() {
    return inPerGroup() * kh * kw;
  }

  /** {@return the Keras kernel {@code keras} in PyTorch's layout, {@link #kernelShape()}} */
  float[] torchKernel(WeightManifest.Tensor keras) {
    float[] values = keras.values();
    float[] w;
    if (depthwise) {
      int mult = out / in;
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
    return w;
  }

  /**
   * Convolves {@code x} ({@code [N, in, H, W]}) with {@code weight} and {@code bias} (or none) and
   * applies the activation; differentiable in all three. Intermediates are closed.
   */
  NDArray apply(NDArray x, NDArray weight, NDArray bias) {
    long[] pad = {0, 0};
    NDArray padded = null;
    if (samePadding) {
      int[] kernel = {kh, kw};
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
