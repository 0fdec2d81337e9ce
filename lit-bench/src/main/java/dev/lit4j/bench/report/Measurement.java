package dev.lit4j.bench.report;

import java.util.Map;
import java.util.Objects;

/**
 * One JMH result: a benchmark method at one parameter point.
 *
 * @param bench the benchmark class's simple name, e.g. {@code SimilarityBench}
 * @param method the benchmark method, e.g. {@code java}
 * @param params the JMH parameters, e.g. {@code batch=4096}
 * @param millis the average time per operation, in milliseconds
 * @param errorMillis the 99.9 % confidence half-width, or NaN with a single iteration
 */
public record Measurement(
    String bench, String method, Map<String, String> params, double millis, double errorMillis) {
  /**
   * @throws IllegalArgumentException if {@code millis} is not positive
   */
  public Measurement {
    Objects.requireNonNull(bench, "bench");
    Objects.requireNonNull(method, "method");
    params = Map.copyOf(params);
    if (!(millis > 0)) {
      throw new IllegalArgumentException(
          "time per operation must be positive, got " + millis + " ms for " + bench + "." + method);
    }
  }

  /**
   * Returns the integer parameter {@code name}.
   *
   * @throws IllegalArgumentException if the parameter is absent
   */
  public int intParam(String name) {
    return Integer.parseInt(param(name));
  }

  /**
   * Returns the parameter {@code name}.
   *
   * @throws IllegalArgumentException if the parameter is absent
   */
  public String param(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          bench + "." + method + " has no parameter '" + name + "', only " + params.keySet());
    }
    return value;
  }
}
