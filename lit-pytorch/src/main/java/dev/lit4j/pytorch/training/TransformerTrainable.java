package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lit4j.model.TextTower;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TokenBatch;
import dev.lit4j.pytorch.text.TransformerTextTower;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link TransformerTextTower} as a {@link TrainableTextTower}, on one device or data-parallel over
 * several.
 *
 * <p>On one device it tokenizes into the step's scope and runs the tower's differentiable forward
 * pass on its live parameters (a {@link ParameterStore} without copies hands out the parameter
 * arrays themselves, so gradients land on them).
 *
 * <p>On {@code G} devices (replica 0 on the main device, where the parameters live) the {@code B}
 * captions are split into {@code G} contiguous shards of {@code ⌈B/G⌉} or {@code ⌊B/G⌋}. Shard 0
 * runs on the live parameters; shard {@code r > 0} is tokenized and run on device {@code r} with
 * {@link ReplicaParameters} (copies of the main parameters made for the step), and its {@code [B_r,
 * D]} embeddings are copied to the main device as a leaf. The shards are concatenated in order, so
 * the caller receives the same {@code [B, D]} matrix as on one device and computes <em>one</em>
 * loss over all {@code B} pairs: every caption is a negative for every image, whichever device
 * embedded it. After the loss's backward pass, {@link TextForward#backwardRemoteShards} carries
 * each remote shard's gradient back through its replica and sums the replicas' parameter gradients,
 * which the step adds to the main parameters' own.
 *
 * <p>The shards are dispatched one after another from the calling thread (autograd's grad mode is
 * thread-local); on GPUs the kernels of the shards still overlap because CUDA launches are
 * asynchronous, and the backward pass runs on one autograd thread per device.
 */
final class TransformerTrainable implements TrainableTextTower {
  private final TransformerTextTower tower;
  private final List<Device> replicas;
  private final List<TrainableParameter> parameters;

  /**
   * @param tower the tower; its parameters live on {@code replicas.get(0)}
   * @param replicas one device per replica, the main device first; a device may repeat; batches
   *     must hold at least one caption per replica (checked by {@link #onDevices})
   */
  TransformerTrainable(TransformerTextTower tower, List<Device> replicas) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("at least one device is needed");
    }
    this.tower = tower;
    this.replicas = List.copyOf(replicas);
    List<TrainableParameter> list = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : tower.namedParameters().entrySet()) {
      list.add(new TrainableParameter(e.getKey(), e.getValue().getArray()));
    }
    this.parameters = List.copyOf(list);
  }

  /** One replica on the device where the tower's parameters live. */
  TransformerTrainable(TransformerTextTower tower) {
    this(tower, List.of(parameterDevice(tower)));
  }

  /**
   * Returns the tower data-parallel over {@code devices}, validated for a batch of {@code
   * batchSize}.
   *
   * @throws IllegalArgumentException if a GPU is missing, the first device is not where the tower's
   *     parameters live, or the batch is smaller than the number of devices (all named)
   */
  static TransformerTrainable onDevices(
      TransformerTextTower tower, List<ComputeDevice> devices, int batchSize) {
    List<Device> resolved = new ArrayList<>(devices.size());
    for (ComputeDevice d : devices) {
      resolved.add(d.toDjlDevice());
    }
    Device actual = parameterDevice(tower);
    if (!resolved.get(0).equals(actual)) {
      throw new IllegalArgumentException(
          "the trainer was asked to run on "
              + devices.get(0)
              + " but the text tower's parameters live on "
              + actual
              + "; create the tower on that device, or list its device first");
    }
    if (batchSize < resolved.size()) {
      throw new IllegalArgumentException(
          "batch size "
              + batchSize
              + " is smaller than the "
              + resolved.size()
              + " devices "
              + devices
              + "; every device needs at least one caption per step");
    }
    return new TransformerTrainable(tower, resolved);
  }

  private static Device parameterDevice(TransformerTextTower tower) {
    return tower.namedParameters().values().iterator().next().getArray().getDevice();
  }

  @Override
  public Device mainDevice() {
    return replicas.get(0);
  }

  @Override
  public int dimension() {
    return tower.dimension();
  }

  @Override
  public TextForward forward(List<String> texts, NDManager scope) {
    int b = texts.size();
    int g = replicas.size();
    if (g == 1) {
      return TextForward.local(shardForward(texts, scope, new ParameterStore(scope, false)));
    }
    Device main = scope.getDevice();
    NDList gathered = new NDList(g);
    List<TextForward.RemoteShard> remote = new ArrayList<>(g - 1);
    int from = 0;
    for (int r = 0; r < g; r++) {
      int to = from + b / g + (r < b % g ? 1 : 0);
      List<String> shard = texts.subList(from, to);
      if (r == 0) {
        // The first shard runs on the main device and the live parameters, in the loss's graph.
        gathered.add(shardForward(shard, scope, new ParameterStore(scope, false)));
      } else {
        NDManager replicaScope = scope.newSubManager(replicas.get(r));
        ReplicaParameters replica = new ReplicaParameters(replicaScope);
        NDArray output = shardForward(shard, replicaScope, replica);
        NDArray leaf = ContrastiveStep.scoped(ReplicaParameters.copy(output, main), scope);
        leaf.setRequiresGradient(true);
        gathered.add(leaf);
        remote.add(new TextForward.RemoteShard(output, leaf, replica));
      }
      from = to;
    }
    NDArray all = ContrastiveStep.scoped(NDArrays.concat(gathered, 0), scope);
    return TextForward.sharded(all, remote);
  }

  private NDArray shardForward(List<String> texts, NDManager scope, ParameterStore store) {
    TokenBatch tokens = tower.tokenize(texts, scope);
    return tower.forward(store, tokens.tokenIds(), tokens.attentionMask(), true);
  }

  @Override
  public List<TrainableParameter> parameters() {
    return parameters;
  }

  @Override
  public TextTower tower() {
    return tower;
  }
}
