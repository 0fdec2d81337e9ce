package dev.lit4j.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lit4j.pytorch.internal.EngineStart;
import java.util.ArrayList;
import java.util.List;

/**
 * Where lit4j's PyTorch code runs: the CPU or one CUDA GPU, named by a typed value rather than a
 * device string.
 *
 * <p>A GPU is checked against what the PyTorch engine reports when it is {@linkplain #toDjlDevice()
 * resolved}, not when the value is built, so a configuration can name {@code gpu(1)} on a machine
 * that has one. {@link #best()} picks the first GPU when the engine reports any (that is, when a
 * CUDA build of libtorch is on the class path) and the CPU otherwise.
 *
 * <pre>{@code
 * ComputeDevice device = ComputeDevice.best();
 * try (PyTorchSimilarity similarity = PyTorchSimilarity.on(device)) {
 *   FloatMatrix scores = similarity.matrix(images, texts);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ComputeDevice {
  private static final ComputeDevice CPU = new ComputeDevice(-1);

  /** {@code -1} for the CPU, otherwise the CUDA device index. */
  private final int gpuIndex;

  private ComputeDevice(int gpuIndex) {
    this.gpuIndex = gpuIndex;
  }

  /** {@return the CPU} */
  public static ComputeDevice cpu() {
    return CPU;
  }

  /**
   * {@return CUDA GPU number {@code index}} Whether it exists is checked by {@link #toDjlDevice()}.
   *
   * @param index the GPU number, from 0
   * @throws IllegalArgumentException if {@code index < 0}
   */
  public static ComputeDevice gpu(int index) {
    if (index < 0) {
      throw new IllegalArgumentException(
          "GPU index must be >= 0, got " + index + "; use ComputeDevice.cpu() for the CPU");
    }
    return new ComputeDevice(index);
  }

  /** {@return GPU 0 if the PyTorch engine reports a GPU, otherwise the CPU} */
  public static ComputeDevice best() {
    return gpuCount() > 0 ? gpu(0) : CPU;
  }

  /**
   * {@return every GPU the PyTorch engine reports, {@code gpu(0)} first; empty where there is none
   * (no CUDA build of libtorch on the class path, or no CUDA device)}
   */
  public static List<ComputeDevice> gpus() {
    List<ComputeDevice> all = new ArrayList<>();
    for (int i = 0; i < gpuCount(); i++) {
      all.add(gpu(i));
    }
    return List.copyOf(all);
  }

  /** {@return whether this is the CPU} */
  public boolean isCpu() {
    return gpuIndex < 0;
  }

  /**
   * {@return the GPU index}
   *
   * @throws IllegalStateException if this is the CPU
   */
  public int gpuIndex() {
    if (isCpu()) {
      throw new IllegalStateException("the CPU has no GPU index; check isCpu() first");
    }
    return gpuIndex;
  }

  /**
   * {@return the DJL device for this value, checking that the engine has it}
   *
   * @throws IllegalArgumentException if this is a GPU the PyTorch engine does not report; the
   *     message lists the GPUs it does report
   */
  public Device toDjlDevice() {
    if (isCpu()) {
      return Device.cpu();
    }
    int count = gpuCount();
    if (gpuIndex >= count) {
      List<String> available = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        available.add("gpu(" + i + ")");
      }
      throw new IllegalArgumentException(
          "GPU "
              + gpuIndex
              + " is not available: the PyTorch engine reports "
              + count
              + " GPU(s) "
              + available
              + "; use ComputeDevice.best() or cpu(), or put a CUDA build of libtorch on the class"
              + " path");
    }
    return Device.gpu(gpuIndex);
  }

  /**
   * {@return a new PyTorch base manager on this device} The caller owns it and closes it, normally
   * in try-with-resources.
   *
   * @throws IllegalArgumentException if this is a GPU the engine does not have
   */
  public NDManager newBaseManager() {
    return EngineStart.engine().newBaseManager(toDjlDevice());
  }

  private static int gpuCount() {
    return EngineStart.engine().getGpuCount();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComputeDevice d && d.gpuIndex == gpuIndex;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(gpuIndex);
  }

  /** Returns {@code cpu()} or {@code gpu(i)}, the factory call that builds this value. */
  @Override
  public String toString() {
    return isCpu() ? "cpu()" : "gpu(" + gpuIndex + ")";
  }
}
