package dev.lit4j.examples;

import java.util.List;
import java.util.Objects;

/**
 * The numbers one arm measured for one seed, as a line of {@link PaperComparison#RUNS_LOG} holds
 * them: what the table and the chart are made from, whether the run finished in this invocation or
 * an earlier one.
 *
 * @param arm the arm
 * @param seed the run's seed
 * @param values one per column of the log after arm, resolution and seed, in the log's order
 *     (held-out top-1 and top-5, retrieval recalls, training and wall seconds)
 */
public record RunNumbers(Arm arm, long seed, List<Double> values) {
  /**
   * Copies the values.
   *
   * @throws IllegalArgumentException if a value is NaN (named by its column)
   */
  public RunNumbers {
    Objects.requireNonNull(arm, "arm");
    values = List.copyOf(values);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).isNaN()) {
        throw new IllegalArgumentException(
            "value " + i + " of " + arm.code() + " seed " + seed + " is NaN");
      }
    }
  }

  /** {@return whether this is the run of {@code arm} with {@code seed}} */
  boolean isRunOf(Arm arm, long seed) {
    return this.arm.equals(arm) && this.seed == seed;
  }
}
