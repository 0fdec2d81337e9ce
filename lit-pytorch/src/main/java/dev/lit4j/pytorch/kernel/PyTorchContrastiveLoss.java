package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.lit4j.loss.ContrastiveLoss;
import dev.lit4j.loss.LossKind;
import dev.lit4j.loss.LossParameters;
import dev.lit4j.loss.LossResult;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * lit-core's {@link ContrastiveLoss} computed by PyTorch on a chosen device, with the kernels of
 * {@link NdContrastiveLosses}: inputs are copied to the device as float32, results copied back
 * before the per-call scope closes.
 *
 * <ul>
 *   <li>{@link #of}: the full {@code B × B} form; softmax gradients are computed explicitly by a
 *       kernel with fewer passes over the logits than autograd's backward ({@code FullKernels}),
 *       sigmoid gradients come from autograd.
 *   <li>{@link #chunked}: the memory-bounded form; gradients are computed explicitly, {@code
 *       chunkRows} rows of logits at a time.
 * </ul>
 *
 * <pre>{@code
 * try (PyTorchContrastiveLoss loss = PyTorchContrastiveLoss.of(LossKind.SOFTMAX, ComputeDevice.best())) {
 *   LossResult r = loss.valueAndGradients(images, texts, LossParameters.SOFTMAX_DEFAULT);
 * }
 * }</pre>
 *
 * <p>Thread-safe. DJL's PyTorch engine allows one {@code GradientCollector} per process at a time,
 * so the full sigmoid form's {@link #valueAndGradients} calls are serialised across all instances
 * and fail with DJL's {@code IllegalStateException} if another collector (a trainer's) is open; the
 * softmax and chunked forms use no collector. {@link #close()} must not race with calls.
 */
public final class PyTorchContrastiveLoss implements ContrastiveLoss, AutoCloseable {
  /** DJL's PyTorch gradient collector is process-global; one autograd call at a time. */
  private static final Object AUTOGRAD_LOCK = new Object();

  private final LossKind kind;
  private final ComputeDevice device;
  private final int chunkRows;
  private final NDManager manager;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PyTorchContrastiveLoss(LossKind kind, ComputeDevice device, int chunkRows) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.device = Objects.requireNonNull(device, "device");
    this.chunkRows = chunkRows;
    this.manager = device.newBaseManager();
  }

  /**
   * {@return the full-matrix loss of {@code kind} on {@code device}; close it to release its native
   * manager}
   *
   * @param kind the loss
   * @param device where the loss is computed
   * @throws IllegalArgumentException if {@code device} is a GPU the engine does not have
   */
  public static PyTorchContrastiveLoss of(LossKind kind, ComputeDevice device) {
    return new PyTorchContrastiveLoss(kind, device, 0);
  }

  /**
   * {@return the chunked loss of {@code kind} on {@code device}, holding at most a few {@code
   * chunkRows × B} logits at a time}
   *
   * @param kind the loss
   * @param device where the loss is computed
   * @param chunkRows rows of logits computed at a time
   * @throws IllegalArgumentException if {@code chunkRows <= 0}, or {@code device} is a GPU the
   *     engine does not have
   */
  public static PyTorchContrastiveLoss chunked(LossKind kind, ComputeDevice device, int chunkRows) {
    NdInputs.checkChunkRows(chunkRows);
    return new PyTorchContrastiveLoss(kind, device, chunkRows);
  }

  @Override
  public LossKind kind() {
    return kind;
  }

  /** {@return the device this loss runs on} */
  public ComputeDevice device() {
    return device;
  }

  /**
   * Computes the loss value on the engine, without gradients.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param parameters the temperature and (sigmoid only) the bias
   * @throws IllegalArgumentException if the shapes differ, {@code B} or {@code D} is zero, or an
   *     input is not finite
   * @throws IllegalStateException if this loss is closed
   */
  @Override
  public double value(FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    checkInputs(images, texts, parameters);
    ensureOpen();
    try (NDManager call = manager.newSubManager()) {
      Inputs in = Inputs.of(images, texts, parameters, call);
      NDArray loss;
      if (kind == LossKind.SOFTMAX) {
        loss =
            isChunked()
                ? NdContrastiveLosses.softmaxChunkedValue(in.x, in.y, in.logT, chunkRows)
                : NdContrastiveLosses.softmax(in.x, in.y, in.logT);
      } else {
        loss =
            isChunked()
                ? NdContrastiveLosses.sigmoidChunkedValue(in.x, in.y, in.logT, in.bias, chunkRows)
                : NdContrastiveLosses.sigmoid(in.x, in.y, in.logT, in.bias);
      }
      return NdMatrices.toDouble(loss);
    }
  }

  /**
   * Computes the loss value and its gradients with respect to both inputs, {@code log t} and {@code
   * b} (zero for softmax) on the engine.
   *
   * @param images {@code X}, shape {@code [B, D]}
   * @param texts {@code Y}, shape {@code [B, D]}
   * @param parameters the temperature and (sigmoid only) the bias
   * @throws IllegalArgumentException if the shapes differ, {@code B} or {@code D} is zero, or an
   *     input is not finite
   * @throws IllegalStateException if this loss is closed, or (full sigmoid form only) another DJL
   *     gradient collector is open
   */
  @Override
  public LossResult valueAndGradients(
      FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    checkInputs(images, texts, parameters);
    ensureOpen();
    try (NDManager call = manager.newSubManager()) {
      Inputs in = Inputs.of(images, texts, parameters, call);
      if (isChunked() || kind == LossKind.SOFTMAX) {
        try (NdLossGradients g = explicitGradients(in)) {
          return new LossResult(
              NdMatrices.toDouble(g.value()),
              NdMatrices.toMatrix(g.gradImages()),
              NdMatrices.toMatrix(g.gradTexts()),
              NdMatrices.toDouble(g.gradLogTemperature()),
              NdMatrices.toDouble(g.gradBias()));
        }
      }
      return autograd(in);
    }
  }

  /** The kernels without autograd: every chunked form, and the full softmax. */
  private NdLossGradients explicitGradients(Inputs in) {
    if (!isChunked()) {
      return FullKernels.softmaxGradients(in.x, in.y, in.logT);
    }
    return kind == LossKind.SOFTMAX
        ? NdContrastiveLosses.softmaxGradients(in.x, in.y, in.logT, chunkRows)
        : NdContrastiveLosses.sigmoidGradients(in.x, in.y, in.logT, in.bias, chunkRows);
  }

  private LossResult autograd(Inputs in) {
    synchronized (AUTOGRAD_LOCK) {
      in.x.setRequiresGradient(true);
      in.y.setRequiresGradient(true);
      in.logT.setRequiresGradient(true);
      if (kind == LossKind.SIGMOID) {
        in.bias.setRequiresGradient(true);
      }
      double value;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray loss =
            kind == LossKind.SOFTMAX
                ? NdContrastiveLosses.softmax(in.x, in.y, in.logT)
                : NdContrastiveLosses.sigmoid(in.x, in.y, in.logT, in.bias);
        collector.backward(loss);
        value = NdMatrices.toDouble(loss);
      }
      return new LossResult(
          value,
          NdMatrices.toMatrix(in.x.getGradient()),
          NdMatrices.toMatrix(in.y.getGradient()),
          NdMatrices.toDouble(in.logT.getGradient()),
          kind == LossKind.SIGMOID ? NdMatrices.toDouble(in.bias.getGradient()) : 0);
    }
  }

  private boolean isChunked() {
    return chunkRows > 0;
  }

  private static void checkInputs(
      FloatMatrix images, FloatMatrix texts, LossParameters parameters) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(parameters, "parameters");
    if (images.rows() != texts.rows() || images.cols() != texts.cols()) {
      throw new IllegalArgumentException(
          "images and texts must have the same shape [B, D], got images "
              + images
              + ", texts "
              + texts);
    }
    if (images.rows() == 0 || images.cols() == 0) {
      throw new IllegalArgumentException(
          "a contrastive loss needs B >= 1 pairs of dimension >= 1, got " + images);
    }
    checkFinite(images, "images");
    checkFinite(texts, "texts");
  }

  private static void checkFinite(FloatMatrix m, String name) {
    int bad = m.indexOfNonFinite();
    if (bad >= 0) {
      int row = bad / m.cols();
      int col = bad % m.cols();
      throw new IllegalArgumentException(
          name
              + " must be finite, got "
              + m.get(row, col)
              + " at ("
              + row
              + ", "
              + col
              + "); check the tower's output");
    }
  }

  /** Number of arrays held by this loss's manager; zero between calls (tests check no leak). */
  int managedArrayCount() {
    return manager.getManagedArrays().size();
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("PyTorchContrastiveLoss is closed");
    }
  }

  /** Releases the native manager; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      manager.close();
    }
  }

  @Override
  public String toString() {
    return "PyTorchContrastiveLoss["
        + kind
        + ", "
        + device
        + (isChunked() ? ", chunkRows=" + chunkRows : ", full")
        + "]";
  }

  /** One call's inputs on the device, float32, attached to the call's manager. */
  private record Inputs(NDArray x, NDArray y, NDArray logT, NDArray bias) {
    static Inputs of(
        FloatMatrix images, FloatMatrix texts, LossParameters parameters, NDManager call) {
      return new Inputs(
          NdMatrices.toNd(images, call),
          NdMatrices.toNd(texts, call),
          call.create((float) parameters.logTemperature()),
          call.create((float) parameters.bias()));
    }
  }
}
