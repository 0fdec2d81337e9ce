package dev.lit4j.eval;

import java.util.Objects;

/**
 * The zero-shot result on one named set: accuracy and the diagnostics it is read against.
 *
 * @param name the set's name, see {@link NamedZeroShotSet#name()}
 * @param accuracy top-1 and top-5 accuracy
 * @param diagnostics balanced top-1, collapse onto one class, majority share and class-embedding
 *     cosine
 */
public record ZeroShotSetMetrics(
    String name, ClassificationMetrics accuracy, ClassificationDiagnostics diagnostics) {
  /**
   * @param name the set's name, see {@link NamedZeroShotSet#name()}
   * @param accuracy top-1 and top-5 accuracy
   * @param diagnostics balanced top-1, collapse onto one class, majority share and class-embedding
   *     cosine
   * @throws IllegalArgumentException if the name is not an identifier (see {@link
   *     NamedZeroShotSet})
   */
  public ZeroShotSetMetrics {
    NamedZeroShotSet.checkName(name);
    Objects.requireNonNull(accuracy, "accuracy");
    Objects.requireNonNull(diagnostics, "diagnostics");
  }
}
