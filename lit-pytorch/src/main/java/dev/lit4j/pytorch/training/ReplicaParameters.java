package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of one replica of the text tower for one step: each parameter's current value
 * copied from the main copy onto the replica's device the first time a block asks for it, as a leaf
 * that collects its own gradient, and reused for the rest of the step. {@link #addGradientsTo} then
 * sums those gradients per main parameter (the reduction of data-parallel training); the next step
 * copies the updated values out again.
 *
 * <p>A replica on the main copy's own device gets a copy all the same, so several replicas on one
 * device run the code path of replicas on several GPUs; that is how the CPU tests exercise it.
 *
 * <p>The copies belong to the step's scope and are freed with it. Not thread-safe.
 */
final class ReplicaParameters extends ParameterStore {
  private final NDManager scope;
  private final Device device;
  private final Map<Parameter, NDArray> copies = new LinkedHashMap<>();

  /**
   * @param scope the step's manager on the replica's device, which owns the copies
   */
  ReplicaParameters(NDManager scope) {
    super(scope, false);
    this.scope = scope;
    this.device = scope.getDevice();
  }

  /**
   * Returns a copy of {@code array} on {@code device}, outside autograd, owned by {@code array}'s
   * manager (or a sub-manager of it on {@code device}); a new array even on the same device.
   */
  static NDArray copy(NDArray array, Device device) {
    return array.getDevice().equals(device) ? array.duplicate() : array.toDevice(device, true);
  }

  @Override
  public NDArray getValue(Parameter parameter, Device requested, boolean training) {
    if (parameter == null) {
      return null;
    }
    if (!device.equals(requested)) {
      throw new IllegalStateException(
          "a block of the replica on "
              + device
              + " asked for parameter "
              + parameter.getName()
              + " on "
              + requested
              + "; its inputs must live on the replica's device");
    }
    return copies.computeIfAbsent(parameter, this::leafCopy);
  }

  private NDArray leafCopy(Parameter parameter) {
    NDArray copy = ContrastiveStep.scoped(copy(parameter.getArray(), device), scope);
    copy.setRequiresGradient(parameter.requiresGradient());
    return copy;
  }

  /**
   * Adds each copy's gradient, carried to its main parameter's device, into {@code sums} (keyed by
   * the main parameter's array, by identity), out of place. Call after the backward pass through
   * this replica's forward pass.
   *
   * @param scope the step's manager on the main device, which owns the sums and temporaries
   */
  void addGradientsTo(Map<NDArray, NDArray> sums, NDManager scope) {
    for (Map.Entry<Parameter, NDArray> e : copies.entrySet()) {
      if (!e.getKey().requiresGradient()) {
        continue;
      }
      NDArray main = e.getKey().getArray();
      NDArray replicaGradient = ContrastiveStep.scoped(e.getValue().getGradient(), scope);
      NDArray home = ContrastiveStep.scoped(copy(replicaGradient, main.getDevice()), scope);
      sums.merge(main, home, (a, b) -> ContrastiveStep.scoped(a.add(b), scope));
    }
  }
}
