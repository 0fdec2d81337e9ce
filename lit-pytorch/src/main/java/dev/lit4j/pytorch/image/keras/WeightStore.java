package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Creates the model's weight arrays in its manager and remembers them by name, for audits and for
 * the converted-weights cache. Given the arrays of an earlier conversion ({@code prepared}, by the
 * same names), it takes each from there instead of computing it; an array missing there, or of
 * another shape, is computed.
 */
final class WeightStore {
  private final NDManager manager;
  private final Map<String, FloatTensor> prepared;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private int computed;

  WeightStore(NDManager manager, Map<String, FloatTensor> prepared) {
    this.manager = manager;
    this.prepared = prepared;
  }

  /**
   * Creates the array {@code name} of {@code shape}: from the prepared arrays when they hold it,
   * otherwise from {@code values}, which is then called.
   */
  NDArray create(String name, Shape shape, Supplier<float[]> values) {
    String key = name;
    for (int n = 2; arrays.containsKey(key); n++) {
      key = name + "#" + n;
    }
    FloatTensor ready = prepared.get(key);
    NDArray a;
    if (ready != null && ready.size() == shape.size() && ready.rank() == shape.dimension()) {
      a = manager.create(ready.values(), shape);
    } else {
      a = manager.create(values.get(), shape);
      computed++;
    }
    a.setName(name);
    arrays.put(key, a);
    return a;
  }

  Map<String, NDArray> arrays() {
    return Collections.unmodifiableMap(arrays);
  }

  /** {@return how many arrays were computed rather than taken from the prepared ones} */
  int computedCount() {
    return computed;
  }
}
