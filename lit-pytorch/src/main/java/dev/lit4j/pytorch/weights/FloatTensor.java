package dev.lit4j.pytorch.weights;

import dev.lit4j.pytorch.text.TransformerTextTower;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor on the Java heap: a shape and its row-major values. Used to move weights between
 * files (safetensors, ONNX initializers) and a {@link TransformerTextTower} without exposing engine
 * arrays.
 *
 * <p>Immutable and thread-safe: the values are copied in and copied out.
 */
public final class FloatTensor {
  private final int[] shape;
  private final float[] values;

  private FloatTensor(int[] shape, float[] values) {
    this.shape = shape;
    this.values = values;
  }

  /**
   * Builds a tensor from a shape and row-major values; both are copied.
   *
   * @param shape the dimensions, each {@code >= 0}
   * @param values the values, row-major
   * @return the tensor
   * @throws IllegalArgumentException if a dimension is negative or the number of values is not the
   *     product of the shape (both are named)
   */
  public static FloatTensor of(int[] shape, float[] values) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    return wrap(shape.clone(), values.clone());
  }

  /** Builds a tensor that takes ownership of its arrays; callers must not keep them. */
  static FloatTensor wrap(int[] shape, float[] values) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor dimensions must be non-negative, got shape " + Arrays.toString(shape));
      }
      size *= d;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values but "
              + values.length
              + " were given");
    }
    return new FloatTensor(shape, values);
  }

  /** {@return a copy of the shape} */
  public int[] shape() {
    return shape.clone();
  }

  /** {@return the number of dimensions} */
  public int rank() {
    return shape.length;
  }

  /** {@return the number of values, the product of the shape} */
  public int size() {
    return values.length;
  }

  /** {@return a copy of the row-major values} */
  public float[] toArray() {
    return values.clone();
  }

  /**
   * Returns a read-only view of the values, row-major, without copying them (for loading large
   * weights into an engine or digesting them).
   *
   * @return a read-only buffer over the values, positioned at 0
   */
  public FloatBuffer values() {
    return FloatBuffer.wrap(values).asReadOnlyBuffer();
  }

  /**
   * Returns whether {@code expected} equals this tensor's shape.
   *
   * @param expected the shape to compare with
   * @return true if the shapes are equal
   */
  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
