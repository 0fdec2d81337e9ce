package dev.lit4j.pytorch.image.keras;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One layer's computation on NCHW arrays. Results are allocated in the manager of the first input
 * (the caller's per-call scope); weights belong to the model.
 */
@FunctionalInterface
interface LayerOp {
  NDArray apply(List<NDArray> inputs);

  /** Passes its single input through (InputLayer checks aside, Dropout at inference). */
  LayerOp IDENTITY = inputs -> inputs.get(0);
}
