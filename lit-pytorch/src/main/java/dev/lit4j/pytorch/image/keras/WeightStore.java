package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates the model's weight arrays in its manager and remembers them by name, for audits. */
final class WeightStore {
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();

  WeightStore(NDManager manager) {
    this.manager = manager;
  }

  NDArray create(String name, float[] values, Shape shape) {
    NDArray a = manager.create(values, shape);
    a.setName(name);
    String key = name;
    for (int n = 2; arrays.containsKey(key); n++) {
      key = name + "#" + n;
    }
    arrays.put(key, a);
    return a;
  }

  Map<String, NDArray> arrays() {
    return Collections.unmodifiableMap(arrays);
  }
}
