package dev.lit4j.training;

import java.util.Objects;

/**
 * How long a training run lasts: a number of epochs (full passes over the images) or a number of
 * optimiser steps.
 *
 * <p>An epoch is {@code floor(N / B)} steps for {@code N} images and batch size {@code B}: the last
 * partial batch is dropped, because a contrastive loss changes meaning with the batch size.
 *
 * @param unit what {@code count} counts
 * @param count how many epochs or steps, at least 1
 */
public record TrainingLength(Unit unit, int count) {

  /** What a {@link TrainingLength} counts. */
  public enum Unit {
    /** Full passes over the images. */
    EPOCHS,
    /** Optimiser steps (batches). */
    STEPS
  }

  /**
   * @param unit what {@code count} counts
   * @param count how many epochs or steps, at least 1
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public TrainingLength {
    Objects.requireNonNull(unit, "unit");
    if (count < 1) {
      throw new IllegalArgumentException(
          "training length must be at least 1 " + unit.name().toLowerCase() + ", got " + count);
    }
  }

  /**
   * {@return a length of {@code count} epochs}
   *
   * @param count epochs, at least 1
   */
  public static TrainingLength epochs(int count) {
    return new TrainingLength(Unit.EPOCHS, count);
  }

  /**
   * {@return a length of {@code count} optimiser steps}
   *
   * @param count steps, at least 1
   */
  public static TrainingLength steps(int count) {
    return new TrainingLength(Unit.STEPS, count);
  }

  /**
   * {@return the number of optimiser steps for {@code stepsPerEpoch} batches per epoch}
   *
   * @param stepsPerEpoch full batches per epoch
   * @throws IllegalArgumentException if {@code stepsPerEpoch < 1} or the total overflows an int
   */
  public int totalSteps(int stepsPerEpoch) {
    if (stepsPerEpoch < 1) {
      throw new IllegalArgumentException(
          "steps per epoch must be at least 1, got " + stepsPerEpoch);
    }
    if (unit == Unit.STEPS) {
      return count;
    }
    long total = (long) count * stepsPerEpoch;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          count + " epochs of " + stepsPerEpoch + " steps exceed " + Integer.MAX_VALUE + " steps");
    }
    return (int) total;
  }

  @Override
  public String toString() {
    return count + " " + unit.name().toLowerCase();
  }
}
