package dev.lit4j.testing;

import dev.lit4j.math.FloatMatrix;
import org.opentest4j.AssertionFailedError;

/**
 * Numeric assertions shared by every module's tests. {@code |expected − actual| ≤ atol + rtol ·
 * |expected|} element-wise; a failure names the first bad index and both values.
 */
public final class NumericAssertions {

  /** float64 kernels agree with float64 references to rounding: a few hundred ulps. */
  public static final double FLOAT64_RTOL = 1e-12;

  /** float32 kernels (pure Java or PyTorch) against a float64 reference. */
  public static final double FLOAT32_RTOL = 1e-5;

  private NumericAssertions() {}

  /** Asserts two double arrays are element-wise close. */
  public static void assertAllClose(double[] expected, double[] actual, double rtol, double atol) {
    if (expected.length != actual.length) {
      throw new AssertionFailedError(
          "lengths differ: expected " + expected.length + ", actual " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], rtol, atol, "index " + i);
    }
  }

  /** Asserts two float arrays are element-wise close. */
  public static void assertAllClose(float[] expected, float[] actual, double rtol, double atol) {
    if (expected.length != actual.length) {
      throw new AssertionFailedError(
          "lengths differ: expected " + expected.length + ", actual " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], rtol, atol, "index " + i);
    }
  }

  /** Asserts a float matrix is element-wise close to a double reference of the same shape. */
  public static void assertAllClose(
      double[][] expected, FloatMatrix actual, double rtol, double atol) {
    if (expected.length != actual.rows()) {
      throw new AssertionFailedError(
          "row counts differ: expected " + expected.length + ", actual " + actual.rows());
    }
    for (int r = 0; r < expected.length; r++) {
      if (expected[r].length != actual.cols()) {
        throw new AssertionFailedError(
            "column counts differ in row "
                + r
                + ": expected "
                + expected[r].length
                + ", actual "
                + actual.cols());
      }
      for (int c = 0; c < expected[r].length; c++) {
        assertClose(expected[r][c], actual.get(r, c), rtol, atol, "(" + r + ", " + c + ")");
      }
    }
  }

  /** Asserts two matrices have the same shape and are element-wise close. */
  public static void assertAllClose(
      FloatMatrix expected, FloatMatrix actual, double rtol, double atol) {
    if (expected.rows() != actual.rows() || expected.cols() != actual.cols()) {
      throw new AssertionFailedError("shapes differ: expected " + expected + ", actual " + actual);
    }
    assertAllClose(expected.toArray(), actual.toArray(), rtol, atol);
  }

  /** Asserts two scalars are close; {@code what} names the quantity in the failure message. */
  public static void assertClose(
      double expected, double actual, double rtol, double atol, String what) {
    double diff = Math.abs(expected - actual);
    if (!(diff <= atol + rtol * Math.abs(expected))) {
      throw new AssertionFailedError(
          String.format(
              "%s: expected %.17g, actual %.17g (|diff| = %.3g > atol %.1g + rtol %.1g · |expected|)",
              what, expected, actual, diff, atol, rtol),
          expected,
          actual);
    }
  }
}
