package dev.lit4j.training;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Thrown by {@link ContrastiveTrainer#train} when training stopped early because the JVM is
 * shutting down (SIGTERM, Ctrl-C, {@code System.exit}): the trainer finished the step in progress,
 * wrote a checkpoint and returned before the JVM exits, so no native code runs while it tears down.
 * The message names the checkpoint and how to resume from it.
 *
 * <p>The process still exits with the signal's conventional status (143 for SIGTERM, 130 for
 * SIGINT) once the JVM's shutdown completes; catching this exception cannot stop that.
 */
public final class TrainingInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Optimiser steps completed before the stop. */
  private final int completedSteps;

  /** The run's length in steps. */
  private final int totalSteps;

  private final transient Path checkpoint;

  /**
   * @param message the reason and how to resume
   * @param completedSteps optimiser steps completed (and saved in {@code checkpoint}, if any)
   * @param totalSteps the run's length
   * @param checkpoint the checkpoint that holds {@code completedSteps}; {@code null} if training
   *     stopped before its first step and had no checkpoint to resume from
   */
  public TrainingInterruptedException(
      String message, int completedSteps, int totalSteps, Path checkpoint) {
    super(message);
    this.completedSteps = completedSteps;
    this.totalSteps = totalSteps;
    this.checkpoint = checkpoint;
  }

  /** {@return the optimiser steps completed before the stop} */
  public int completedSteps() {
    return completedSteps;
  }

  /** {@return the run's length in steps} */
  public int totalSteps() {
    return totalSteps;
  }

  /** {@return the checkpoint to resume from, absent if no step had been completed} */
  public Optional<Path> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }
}
