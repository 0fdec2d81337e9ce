package dev.lit4j.pytorch.training;

/**
 * Thrown when a training step produces a NaN or infinite loss or gradient norm. The message names
 * the step; the run's parameters and its last checkpoint are left untouched.
 */
public final class NonFiniteLossException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  NonFiniteLossException(String message) {
    super(message);
  }
}
