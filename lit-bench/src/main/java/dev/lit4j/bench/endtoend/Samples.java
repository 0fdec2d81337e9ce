package dev.lit4j.bench.endtoend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Repeated measurements of one rate or time, summarised as median and range.
 *
 * @param values the measured values, in measurement order (copied)
 */
record Samples(double[] values) {
  Samples {
    Objects.requireNonNull(values, "values");
    if (values.length == 0) {
      throw new IllegalArgumentException("need at least one measurement; got none");
    }
    values = values.clone();
  }

  /** Returns a copy of the values, in measurement order. */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** Returns the median (the mean of the two middle values for an even count). */
  double median() {
    double[] s = sorted();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  double min() {
    return sorted()[0];
  }

  double max() {
    return sorted()[values.length - 1];
  }

  int count() {
    return values.length;
  }

  /** Returns the range around the median in percent, "±x %" for half the max − min span. */
  String spread() {
    if (values.length == 1) {
      return "— (1 run)";
    }
    double half = (max() - min()) / 2 / median() * 100;
    return String.format(Locale.ROOT, "%s–%s (±%.0f %%)", format(min()), format(max()), half);
  }

  /** Formats with three significant figures, plain notation. */
  static String format(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return Double.toString(v);
    }
    double a = Math.abs(v);
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : a >= 0.01 ? 4 : 5;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private double[] sorted() {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Samples other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Samples" + Arrays.toString(values);
  }
}
