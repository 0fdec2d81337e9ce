package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text embeddings of one step's batch, with what the loss's backward pass cannot reach by
 * itself: the shards embedded by replicas on other devices.
 *
 * <p>DJL's PyTorch copies between devices are not recorded by autograd, so a remote shard's
 * embeddings reach the loss as a <em>leaf</em> copy on the main device. After {@code backward} of
 * the loss, {@link #backwardRemoteShards} takes each leaf's gradient {@code ∂L/∂Y_r}, carries it to
 * the shard's device, back-propagates it through that replica's forward pass (one backward of the
 * surrogate {@code Σ Y_r ⊙ ∂L/∂Y_r}, whose gradient is exactly that), and sums the replicas'
 * parameter gradients per main parameter; added to the main parameters' own gradients they give the
 * same sum one backward pass over the whole batch on one device would give.
 */
final class TextForward {
  private final NDArray embeddings;
  private final List<RemoteShard> remote;

  private TextForward(NDArray embeddings, List<RemoteShard> remote) {
    this.embeddings = embeddings;
    this.remote = List.copyOf(remote);
  }

  /** Embeddings computed on the main device in one graph; nothing is left to do after backward. */
  static TextForward local(NDArray embeddings) {
    return new TextForward(embeddings, List.of());
  }

  /**
   * @param embeddings {@code [B, D]} on the main device, in the autograd graph of the main
   *     parameters for the local shard and made of leaf copies for the remote ones
   * @param remote the remote shards, each with its leaf copy among {@code embeddings}' rows
   */
  static TextForward sharded(NDArray embeddings, List<RemoteShard> remote) {
    return new TextForward(embeddings, remote);
  }

  /** Returns the {@code [B, D]} unit-norm text embeddings on the main device. */
  NDArray embeddings() {
    return embeddings;
  }

  /**
   * Back-propagates the remote shards after {@code collector.backward(loss)}, still under that
   * collector, and returns their parameter gradients summed over the shards: what must be added to
   * each main parameter's own gradient (keyed by the main parameter's array, by identity; a
   * parameter absent from the map gets nothing). Empty when every shard ran on the main parameters.
   * The parameters' {@code .grad} tensors are not modified.
   */
  Map<NDArray, NDArray> backwardRemoteShards(GradientCollector collector, NDManager scope) {
    Map<NDArray, NDArray> sums = new IdentityHashMap<>();
    for (RemoteShard shard : remote) {
      shard.backward(collector, scope, sums);
    }
    return sums;
  }

  /**
   * One shard embedded by a replica.
   *
   * @param output the replica's {@code [B_r, D]} embeddings on its device, in its autograd graph
   * @param gathered the leaf copy of {@code output} on the main device that the loss saw
   * @param replica the replica's parameters
   */
  record RemoteShard(NDArray output, NDArray gathered, ReplicaParameters replica) {
    void backward(GradientCollector collector, NDManager scope, Map<NDArray, NDArray> sums) {
      NDArray gradient = ContrastiveStep.scoped(gathered.getGradient(), scope);
      NDArray there =
          ContrastiveStep.scoped(ReplicaParameters.copy(gradient, output.getDevice()), scope);
      collector.backward(ContrastiveStep.scoped(output.mul(there).sum(), scope));
      replica.addGradientsTo(sums, scope);
    }
  }
}
