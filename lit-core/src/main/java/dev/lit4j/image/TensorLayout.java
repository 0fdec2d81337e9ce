package dev.lit4j.image;

/** The axis order of one image tensor (the batch axis, where there is one, comes first). */
public enum TensorLayout {
  /** Channels first: {@code [C, H, W]} per image, {@code [N, C, H, W]} per batch (PyTorch). */
  NCHW,
  /** Channels last: {@code [H, W, C]} per image, {@code [N, H, W, C]} per batch (TF, Keras). */
  NHWC
}
