package dev.lit4j.pytorch.training;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One trainable tensor: its stable name (the checkpoint key), the live array that the forward pass
 * reads and the optimiser updates in place, and whether decoupled weight decay applies to it.
 *
 * <p>Weight decay applies to tensors of rank ≥ 2 (weight matrices and embedding tables), never to
 * biases, norm gains, the temperature or the sigmoid bias, as open_clip's {@code exclude} rule
 * ({@code p.ndim < 2 or "bn"/"ln"/"bias"/"logit_scale" in name}) and big_vision's {@code wd_mults}
 * on {@code .*kernel}.
 *
 * @param name the checkpoint key, unique within a model
 * @param array the parameter array (requires gradient); owned by the model, not by this record
 * @param learningRateFactor multiplies the step's learning rate for this parameter (its parameter
 *     group's rate relative to the schedule's)
 */
record TrainableParameter(String name, NDArray array, double learningRateFactor) {
  TrainableParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(array, "array");
    if (!(learningRateFactor > 0) || !Double.isFinite(learningRateFactor)) {
      throw new IllegalArgumentException(
          "learning-rate factor of "
              + name
              + " must be positive and finite, got "
              + learningRateFactor);
    }
  }

  /** A parameter in the default group: the schedule's learning rate. */
  TrainableParameter(String name, NDArray array) {
    this(name, array, 1);
  }

  /** Returns whether decoupled weight decay applies: rank ≥ 2. */
  boolean decays() {
    return array.getShape().dimension() >= 2;
  }
}
