package dev.lit4j.pytorch.training;

import dev.lit4j.model.ScoreCalibration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RawImageTrainer} run did.
 *
 * @param steps the optimiser steps taken
 * @param losses the loss of each step before its update, in step order ({@code steps} values)
 * @param calibration the loss kind with the final temperature {@code t} and bias {@code b} (0 for
 *     the softmax loss)
 */
public record RawImageTrainingResult(int steps, List<Double> losses, ScoreCalibration calibration) {
  /**
   * @param steps the optimiser steps taken
   * @param losses the loss of each step, copied
   * @param calibration the loss kind, final temperature and bias
   * @throws IllegalArgumentException if {@code steps} differs from the number of losses
   */
  public RawImageTrainingResult {
    losses = List.copyOf(Objects.requireNonNull(losses, "losses"));
    Objects.requireNonNull(calibration, "calibration");
    if (losses.size() != steps) {
      throw new IllegalArgumentException(steps + " steps but " + losses.size() + " losses");
    }
  }

  /** {@return the final temperature {@code t = exp(log t)}, after the clamp} */
  public double temperature() {
    return calibration.temperature();
  }
}
