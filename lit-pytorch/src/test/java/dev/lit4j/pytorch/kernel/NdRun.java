package dev.lit4j.pytorch.kernel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.math.FloatMatrix;

/** Runs one NDArray loss form under autograd and copies the value and all gradients out. */
final class NdRun {
  /** Which NdContrastiveLosses entry point to run. */
  enum Form {
    FULL,
    CHUNKED
  }

  /** A loss value with its gradients, copied to the host. */
  record Result(double value, float[] gradX, float[] gradY, double gradLogT, double gradBias) {}

  private NdRun() {}

  /** Runs {@code kind} in {@code form} with every input of the loss requiring a gradient. */
  static Result run(
      LossKind kind, Form form, FloatMatrix x, FloatMatrix y, LossParameters p, int chunkRows) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray xa = m.create(x.toArray(), new Shape(x.rows(), x.cols()));
      NDArray ya = m.create(y.toArray(), new Shape(y.rows(), y.cols()));
      NDArray logT = m.create(new float[] {(float) p.logTemperature()});
      NDArray bias = m.create(new float[] {(float) p.bias()});
      for (NDArray a : new NDArray[] {xa, ya, logT}) {
        a.setRequiresGradient(true);
      }
      boolean sigmoid = kind == LossKind.SIGMOID;
      if (sigmoid) {
        bias.setRequiresGradient(true);
      }
      double value;
      try (GradientCollector collector = m.getEngine().newGradientCollector()) {
        NDArray loss = loss(kind, form, xa, ya, logT, bias, chunkRows);
        collector.backward(loss);
        value = loss.getFloat();
      }
      return new Result(
          value,
          xa.getGradient().toFloatArray(),
          ya.getGradient().toFloatArray(),
          logT.getGradient().getFloat(),
          sigmoid ? bias.getGradient().getFloat() : 0);
    }
  }

  /** Returns the loss of {@code kind} in {@code form}; softmax ignores {@code bias}. */
  static NDArray loss(
      LossKind kind, Form form, NDArray x, NDArray y, NDArray logT, NDArray bias, int chunkRows) {
    if (kind == LossKind.SOFTMAX) {
      return form == Form.FULL
          ? NdContrastiveLosses.softmax(x, y, logT)
          : NdContrastiveLosses.softmaxChunked(x, y, logT, chunkRows);
    }
    return form == Form.FULL
        ? NdContrastiveLosses.sigmoid(x, y, logT, bias)
        : NdContrastiveLosses.sigmoidChunked(x, y, logT, bias, chunkRows);
  }
}
