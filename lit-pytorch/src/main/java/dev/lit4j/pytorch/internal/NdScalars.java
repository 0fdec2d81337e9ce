package dev.lit4j.pytorch.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for expressions that autograd records.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code maximum}, … with a {@code Number})
 * wraps the number in a 0-d array whose storage, on the CPU, is a Java direct buffer that libtorch
 * does not own ({@code torch::from_blob}), and closes that array as soon as the operation returns.
 * Autograd keeps the operand for the backward pass ({@code MulBackward0} saves {@code other}), but
 * once the buffer is garbage-collected its memory is freed and reused: a backward pass that runs
 * after a GC multiplies by whatever lies there now, e.g. {@code -1.95e36} instead of {@code 3}.
 * Training then fails at random with an infinite or NaN gradient norm, more often the more the JVM
 * allocates between forward and backward (several replicas, a long test suite).
 *
 * <p>{@link #of} makes the operand with {@code full}, which libtorch allocates and
 * reference-counts, so what autograd saves stays valid however soon the Java handle is closed. Use
 * it for every scalar that meets a tensor requiring a gradient.
 *
 * <p>Thread-safe (stateless).
 */
public final class NdScalars {
  private NdScalars() {}

  /**
   * {@return a 0-d array holding {@code value} in {@code like}'s data type and on its device, in
   * memory libtorch owns; it belongs to {@code like}'s manager and may be closed at any time}
   *
   * @param like the array whose data type and device the scalar takes
   * @param value the value
   */
  public static NDArray of(NDArray like, double value) {
    NDArray scalar = like.getManager().full(new Shape(), (float) value, like.getDataType());
    if (scalar.getDevice().equals(like.getDevice())) {
      return scalar;
    }
    try (scalar) {
      return scalar.toDevice(like.getDevice(), true);
    }
  }
}
