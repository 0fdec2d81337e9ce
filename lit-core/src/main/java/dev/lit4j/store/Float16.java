package dev.lit4j.store;

/**
 * IEEE 754 binary16 ("half") conversions for Java 17, which lacks {@code Float.floatToFloat16}
 * (Java 20).
 *
 * <p>{@link #fromFloat} rounds to nearest, ties to even, exactly as IEEE 754 and NumPy's {@code
 * astype(np.float16)} do: values at or above 65520 in magnitude become infinity, values at or below
 * 2<sup>-25</sup> become (signed) zero, subnormal halves are produced in between, and NaN stays NaN
 * (quiet, upper payload bits kept). {@link #toFloat} is exact.
 */
final class Float16 {
  /** The float bit pattern of 65520, the midpoint between 65504 (max half) and 65536. */
  private static final int OVERFLOW_BITS = 0x477F_F000;

  /** The float bit pattern of 2^-14, the smallest normal half. */
  private static final int MIN_NORMAL_BITS = 0x3880_0000;

  /** The float bit pattern of 2^-25, half the smallest subnormal half (ties to even: zero). */
  private static final int UNDERFLOW_BITS = 0x3300_0000;

  /** (127 − 15) &lt;&lt; 23: the exponent bias difference, in float bit positions. */
  private static final int REBIAS = 112 << 23;

  private Float16() {}

  /** Returns the binary16 bits nearest to {@code f} (ties to even). */
  static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFF_FFFF;
    if (abs >= 0x7F80_0000) {
      // Infinity keeps its sign; NaN keeps its top payload bits and is made quiet.
      return (short) (abs == 0x7F80_0000 ? sign | 0x7C00 : sign | 0x7E00 | (abs >>> 13) & 0x03FF);
    }
    if (abs >= OVERFLOW_BITS) {
      return (short) (sign | 0x7C00);
    }
    if (abs >= MIN_NORMAL_BITS) {
      int v = abs - REBIAS;
      // Add just under half an ulp of the result, plus one if the kept part is odd: ties to even.
      v += 0x0FFF + ((v >>> 13) & 1);
      return (short) (sign | (v >>> 13));
    }
    if (abs <= UNDERFLOW_BITS) {
      return (short) sign;
    }
    // Subnormal result: value / 2^-24 rounded to an integer, from the 24-bit significand.
    int exponent = abs >>> 23;
    int significand = (abs & 0x007F_FFFF) | 0x0080_0000;
    int shift = 126 - exponent; // in [14, 24] here
    int kept = significand >>> shift;
    int rest = significand & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (kept & 1) == 1)) {
      kept++; // may carry into the smallest normal, whose encoding is exactly 0x0400
    }
    return (short) (sign | kept);
  }

  /** Returns the float equal to the binary16 value {@code h} (exact). */
  static float toFloat(short h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x03FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13);
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // exact: at most 10 significant bits
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
  }
}
