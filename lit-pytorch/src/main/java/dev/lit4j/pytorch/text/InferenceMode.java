package dev.lit4j.pytorch.text;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs an action with PyTorch's autograd recording off on the current thread and restores the
 * previous state afterwards. Tower parameters require gradients (so that a trainer can
 * differentiate through them); without this, every inference call on a thread whose grad mode is on
 * (libtorch's default for new threads) would record a graph it never uses. The engine must be
 * loaded (any tower has loaded it).
 */
final class InferenceMode {
  private InferenceMode() {}

  static <T> T run(Supplier<T> action) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return action.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }
}
