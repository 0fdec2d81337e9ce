package dev.lit4j.training;

import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.RetrievalMetrics;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one evaluation during training; one line of the metrics log.
 *
 * @param step the number of completed optimiser steps when it ran
 * @param zeroShot zero-shot top-1/top-5 accuracy, when a {@link ZeroShotSet} was given
 * @param retrieval Recall@K in both directions, when retrieval pairs were given
 */
public record EvaluationMetrics(
    int step, Optional<ClassificationMetrics> zeroShot, Optional<RetrievalMetrics> retrieval) {
  /**
   * @throws NullPointerException if an argument is null
   */
  public EvaluationMetrics {
    Objects.requireNonNull(zeroShot, "zeroShot");
    Objects.requireNonNull(retrieval, "retrieval");
  }
}
