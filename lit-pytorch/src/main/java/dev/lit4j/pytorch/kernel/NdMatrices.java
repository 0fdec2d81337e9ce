package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.math.FloatMatrix;

/** Copies between lit-core's {@link FloatMatrix} and float32 {@code NDArray}s. */
final class NdMatrices {
  private NdMatrices() {}

  /**
   * Returns a float32 {@code [rows, cols]} array holding a copy of {@code m}, in {@code manager}.
   */
  static NDArray toNd(FloatMatrix m, NDManager manager) {
    return manager.create(m.toArray(), new Shape(m.rows(), m.cols()));
  }

  /** Returns a copy of the 2-D array {@code a} on the host, as float32. */
  static FloatMatrix toMatrix(NDArray a) {
    Shape shape = a.getShape();
    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    return FloatMatrix.wrap(
        Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1)), f.toFloatArray());
  }

  /** Returns the single value of {@code scalar} as a double. */
  static double toDouble(NDArray scalar) {
    return scalar.toType(DataType.FLOAT64, false).getDouble();
  }
}
