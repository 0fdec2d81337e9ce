package dev.lit4j.training;

import dev.lit4j.model.ScoreCalibration;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The outcome of {@link ContrastiveTrainer#train}.
 *
 * @param steps optimiser steps taken
 * @param finalLoss the training loss at the last step
 * @param calibration the learned temperature and bias
 * @param modelDirectory where the trained model was written (loadable with {@code LitModel.load})
 */
public record TrainingResult(
    int steps, double finalLoss, ScoreCalibration calibration, Path modelDirectory) {
  /**
   * Checks that nothing is null.
   *
   * @param steps optimiser steps taken
   * @param finalLoss the training loss at the last step
   * @param calibration the learned temperature and bias
   * @param modelDirectory where the trained model was written (loadable with {@code LitModel.load})
   */
  public TrainingResult {
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(modelDirectory, "modelDirectory");
  }
}
