package dev.lit4j.pytorch.text;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd recording off on the current thread for a scope and restores the
 * previous state on close. Tower parameters require gradients (so that a trainer can differentiate
 * through them); without this, every inference call on a thread whose grad mode is on (libtorch's
 * default for new threads) would record a graph it never uses.
 */
final class InferenceMode implements AutoCloseable {
  private final boolean previous;

  private InferenceMode() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  static InferenceMode enter() {
    return new InferenceMode();
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
