package dev.lit4j.pytorch.training;

import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;

/**
 * Simulates a crash in a trainer's tests: a progress listener that throws once {@code step} steps
 * are done, after the step and any checkpoint due at it.
 *
 * @param step the step after which to throw
 */
record CrashAt(int step) implements ProgressListener {
  @Override
  public void onUpdate(Progress progress) {
    if (progress.done() == step) {
      throw new IllegalStateException("simulated crash after step " + step);
    }
  }

  @Override
  public void onFinish(Progress progress) {}
}
