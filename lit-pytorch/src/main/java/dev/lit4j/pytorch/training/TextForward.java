package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * The text embeddings of one step's batch, with what the loss's backward pass cannot reach by
 * itself: the shards embedded by replicas on other devices.
 *
 * <p>DJL's PyTorch copies between devices are not recorded by autograd, so a remote shard's
 * embeddings reach the loss as a <em>leaf</em> copy on the main device. After {@code backward} of
 * the loss, {@link #backwardRemoteShards} takes each leaf's gradient {@code ∂L/∂Y_r}, carries it to
 * the shard's device, back-propagates it through that replica's forward pass (one backward of the
 * surrogate {@code Σ Y_r ⊙ ∂L/∂Y_r}, whose gradient is exactly that), and adds the replica's
 * parameter gradients into the main parameters' gradients: the same sum one backward pass over the
 * whole batch on one device would give.
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
   * Completes the gradients of the main parameters after {@code collector.backward(loss)}, still
   * under that collector. Does nothing when every shard ran on the main parameters.
   */
  void backwardRemoteShards(GradientCollector collector, NDManager scope) {
    for (RemoteShard shard : remote) {
      shard.backward(collector, scope);
    }
  }

  /**
   * One shard embedded by a replica.
   *
   * @param output the replica's {@code [B_r, D]} embeddings on its device, in its autograd graph
   * @param gathered the leaf copy of {@code output} on the main device that the loss saw
   * @param replica the replica's parameters
   */
  record RemoteShard(NDArray output, NDArray gathered, ReplicaParameters replica) {
    void backward(GradientCollector collector, NDManager scope) {
      NDArray gradient = ContrastiveStep.scoped(gathered.getGradient(), scope);
      NDArray there =
          ContrastiveStep.scoped(ReplicaParameters.copy(gradient, output.getDevice()), scope);
      collector.backward(ContrastiveStep.scoped(output.mul(there).sum(), scope));
      replica.addGradientsToMain(scope);
    }
  }
}
