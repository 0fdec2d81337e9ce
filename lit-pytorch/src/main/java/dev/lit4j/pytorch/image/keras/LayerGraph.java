package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Layers in topological order, each an op and the indices of the layers it reads, run from the
 * input up to a chosen layer. Only the layers that layer depends on are computed, and every
 * intermediate is closed as soon as its last reader has run, so a forward pass holds only the live
 * frontier of the graph. (Closing an intermediate releases lit4j's handle only: under a {@code
 * GradientCollector} libtorch's autograd keeps what it saved for the backward pass.)
 *
 * <p>Immutable; {@link #forward} is as thread-safe as the ops it runs.
 */
final class LayerGraph {

  /** One layer: its name, Keras class, op and the indices of its inputs (none for the input). */
  record Node(String name, String className, LayerOp op, int[] inputs) {}

  private final List<Node> nodes;
  private final Map<String, Integer> index = new HashMap<>();

  LayerGraph(List<Node> nodes) {
    this.nodes = List.copyOf(nodes);
    for (int i = 0; i < this.nodes.size(); i++) {
      index.put(this.nodes.get(i).name(), i);
    }
  }

  /** {@return the layer names in topological order} */
  List<String> layerNames() {
    return nodes.stream().map(Node::name).toList();
  }

  /** {@return the Keras class of {@code layer}} */
  String layerClass(String layer) {
    return nodes.get(indexOf(layer)).className();
  }

  /**
   * Runs the graph from {@code images} up to {@code layer}.
   *
   * @return that layer's output, allocated in the manager of {@code images}
   * @throws IllegalArgumentException if the layer is unknown (the valid names are listed)
   */
  NDArray forward(NDArray images, String layer) {
    int target = indexOf(layer);
    boolean[] needed = new boolean[target + 1];
    needed[target] = true;
    for (int i = target; i >= 0; i--) {
      if (needed[i]) {
        for (int in : nodes.get(i).inputs()) {
          needed[in] = true;
        }
      }
    }
    int[] pending = new int[target + 1];
    for (int i = 0; i <= target; i++) {
      if (needed[i]) {
        for (int in : nodes.get(i).inputs()) {
          pending[in]++;
        }
      }
    }
    NDArray[] values = new NDArray[target + 1];
    try {
      for (int i = 0; i <= target; i++) {
        if (!needed[i]) {
          continue;
        }
        Node node = nodes.get(i);
        List<NDArray> inputs = new ArrayList<>(node.inputs().length);
        for (int in : node.inputs()) {
          inputs.add(values[in]);
        }
        values[i] = node.op().apply(inputs.isEmpty() ? List.of(images) : inputs);
        for (int in : node.inputs()) {
          if (--pending[in] == 0) {
            release(values, in, images);
          }
        }
      }
      return values[target];
    } catch (RuntimeException e) {
      for (int i = 0; i < target; i++) {
        release(values, i, images);
      }
      throw e;
    }
  }

  /** Closes {@code values[i]} unless the input or another live slot aliases it. */
  private static void release(NDArray[] values, int i, NDArray images) {
    NDArray v = values[i];
    values[i] = null;
    if (v == null || v == images) {
      return;
    }
    for (NDArray other : values) {
      if (other == v) {
        return;
      }
    }
    v.close();
  }

  int indexOf(String layer) {
    Objects.requireNonNull(layer, "layer");
    Integer i = index.get(layer);
    if (i == null) {
      throw new IllegalArgumentException(
          "unknown layer '" + layer + "'; the model's layers are " + layerNames());
    }
    return i;
  }
}
