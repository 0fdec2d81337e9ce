package dev.lit4j.image;

/** The order of the colour channels in the tensor. */
public enum ChannelOrder {
  /** Red, green, blue (PyTorch, TF and Keras models). */
  RGB,
  /** Blue, green, red (Caffe-era models). */
  BGR
}
