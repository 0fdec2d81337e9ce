package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The similarity matrix {@code X Yᵀ} computed by PyTorch (one GEMM) on a chosen device; the engine
 * counterpart of lit-core's {@code Similarity.matrix}. For L2-normalised rows the entries are
 * cosine similarities.
 *
 * <pre>{@code
 * try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.best())) {
 *   FloatMatrix scores = similarity.matrix(images, texts); // [images.rows(), texts.rows()]
 * }
 * }</pre>
 *
 * <p>Thread-safe: each call works in its own {@code NDManager} sub-manager, and the result is
 * copied to the host before that scope closes. {@link #close()} must not race with calls.
 */
public final class PyTorchSimilarity implements AutoCloseable {
  private final ComputeDevice device;
  private final NDManager manager;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PyTorchSimilarity(ComputeDevice device, NDManager manager) {
    this.device = device;
    this.manager = manager;
  }

  /**
   * {@return a similarity kernel on {@code device}; close it to release its native manager}
   *
   * @param device where the products are computed
   * @throws IllegalArgumentException if {@code device} is a GPU the engine does not have
   */
  public static PyTorchSimilarity on(ComputeDevice device) {
    Objects.requireNonNull(device, "device");
    return new PyTorchSimilarity(device, device.newBaseManager());
  }

  /** {@return the device this kernel runs on} */
  public ComputeDevice device() {
    return device;
  }

  /**
   * {@return {@code X Yᵀ}, float32, shape {@code [x.rows(), y.rows()]}}
   *
   * @param x shape {@code [n, D]}
   * @param y shape {@code [m, D]}
   * @throws IllegalArgumentException if the column counts differ
   * @throws IllegalStateException if this kernel is closed
   */
  public FloatMatrix matrix(FloatMatrix x, FloatMatrix y) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.cols() != y.cols()) {
      throw new IllegalArgumentException(
          "x and y must have the same number of columns (embedding dimension), got x "
              + x
              + ", y "
              + y);
    }
    ensureOpen();
    if (x.rows() == 0 || y.rows() == 0 || x.cols() == 0) {
      return FloatMatrix.zeros(x.rows(), y.rows());
    }
    try (NDManager call = manager.newSubManager()) {
      NDArray a = NdMatrices.toNd(x, call);
      NDArray b = NdMatrices.toNd(y, call);
      return NdMatrices.toMatrix(a.matMul(b.transpose()));
    }
  }

  /** Number of arrays held by this kernel's manager; zero between calls (tests check no leak). */
  int managedArrayCount() {
    return manager.getManagedArrays().size();
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("PyTorchSimilarity is closed");
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
    return "PyTorchSimilarity[" + device + "]";
  }
}
