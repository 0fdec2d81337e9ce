package dev.lit4j.pytorch.image;

/** How a model output becomes one feature vector per image. */
public enum FeaturePooling {
  /** The output already is {@code [N, D]}; a 4-D output is rejected at load. */
  NONE,
  /**
   * A {@code [N, C, H, W]} output (PyTorch's channels-first convention) is averaged over {@code H}
   * and {@code W} to {@code [N, C]}; a 2-D output is rejected at load.
   */
  GLOBAL_AVERAGE
}
