package dev.lit4j.pytorch.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.lit4j.model.TextTower;
import java.util.List;

/**
 * The text tower being trained, as the trainer sees it: captions in, L2-normalised embeddings out,
 * through the autograd graph of its live parameters.
 */
interface TrainableTextTower {

  /** Returns the device where the parameters live, the loss is computed and updates run. */
  Device mainDevice();

  /** Returns the embedding dimension {@code D}. */
  int dimension();

  /**
   * Tokenizes {@code texts} and runs the tower in training mode; must be called under a {@link
   * ai.djl.training.GradientCollector} for gradients to reach {@link #parameters()}.
   *
   * @return {@code [B, D]} float32 unit-norm rows on {@code scope}'s device, attached to {@code
   *     scope}, with any backward work the loss's own backward pass cannot reach
   */
  TextForward forward(List<String> texts, NDManager scope);

  /** Returns the trainable parameters, in a stable order, with unique names. */
  List<TrainableParameter> parameters();

  /** Returns the public tower (embedding with the current weights; savable into a model). */
  TextTower tower();
}
