package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/** Argument checks shared by the NDArray kernels; messages name the bad value and the rule. */
final class NdInputs {
  private NdInputs() {}

  /** Checks {@code x} and {@code y} are 2-D floating arrays of one shape, dtype and device. */
  static void checkPair(NDArray x, NDArray y) {
    Objects.requireNonNull(x, "images");
    Objects.requireNonNull(y, "texts");
    Shape xs = x.getShape();
    Shape ys = y.getShape();
    if (xs.dimension() != 2 || ys.dimension() != 2) {
      throw new IllegalArgumentException(
          "images and texts must be 2-D [B, D], got images " + xs + ", texts " + ys);
    }
    if (!xs.equals(ys)) {
      throw new IllegalArgumentException(
          "images and texts must have the same shape [B, D], got images " + xs + ", texts " + ys);
    }
    if (xs.get(0) == 0 || xs.get(1) == 0) {
      throw new IllegalArgumentException("batch and dimension must be positive, got " + xs);
    }
    if (!x.getDataType().isFloating() || x.getDataType() != y.getDataType()) {
      throw new IllegalArgumentException(
          "images and texts must share one floating dtype, got images "
              + x.getDataType()
              + ", texts "
              + y.getDataType());
    }
    if (!x.getDevice().equals(y.getDevice())) {
      throw new IllegalArgumentException(
          "images and texts must be on one device, got images on "
              + x.getDevice()
              + ", texts on "
              + y.getDevice());
    }
  }

  /** Checks the inputs of a softmax loss: an embedding pair and a scalar log-temperature. */
  static void checkSoftmax(NDArray images, NDArray texts, NDArray logTemperature) {
    checkPair(images, texts);
    checkScalar(logTemperature, "logTemperature");
  }

  /** Checks the inputs of a sigmoid loss: as {@link #checkSoftmax}, plus a scalar bias. */
  static void checkSigmoid(NDArray images, NDArray texts, NDArray logTemperature, NDArray bias) {
    checkSoftmax(images, texts, logTemperature);
    checkScalar(bias, "bias");
  }

  /** Checks {@code scalar} holds exactly one value (shape {@code []} or {@code [1]}). */
  static void checkScalar(NDArray scalar, String name) {
    Objects.requireNonNull(scalar, name);
    if (scalar.getShape().size() != 1 || scalar.getShape().dimension() > 1) {
      throw new IllegalArgumentException(
          name + " must hold one value (shape [] or [1]), got shape " + scalar.getShape());
    }
  }

  /**
   * Returns {@code arrays} without repeats (by identity). Temporarily attaching the same array
   * twice would record the scope itself as its owner and lose it when the scope closes.
   */
  static NDArray[] distinct(NDArray... arrays) {
    Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    return Arrays.stream(arrays).filter(seen::add).toArray(NDArray[]::new);
  }

  /** Checks a chunk size is positive. */
  static void checkChunkRows(int chunkRows) {
    if (chunkRows <= 0) {
      throw new IllegalArgumentException(
          "chunkRows must be positive, got " + chunkRows + "; try 1024");
    }
  }
}
