package dev.lit4j.progress;

import java.util.Objects;

/**
 * A named number shown next to progress, such as a training loss.
 *
 * @param name a short non-blank name, e.g. {@code "loss"}
 * @param value the current value; NaN and infinity are allowed (a diverging loss must show)
 */
public record ProgressMetric(String name, double value) {
  /**
   * @param name a short non-blank name, e.g. {@code "loss"}
   * @param value the current value; NaN and infinity are allowed (a diverging loss must show)
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ProgressMetric {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("metric name must not be blank");
    }
  }
}
