package dev.lit4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Float16} against an independent reference: the value of every binary16 code
 * computed in double arithmetic, and round-to-nearest-even found by searching that table.
 */
class Float16Test {
  /** Every non-negative finite binary16 value, by code 0x0000 … 0x7BFF (ascending). */
  private static final double[] FINITE = new double[0x7C00];

  static {
    for (int code = 0; code < FINITE.length; code++) {
      int exponent = code >>> 10;
      int mantissa = code & 0x3FF;
      FINITE[code] =
          exponent == 0
              ? Math.scalb((double) mantissa, -24)
              : Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
    }
  }

  /** Reference: nearest binary16 code, ties to the even code; 65520 and up overflow. */
  private static short reference(float f) {
    if (Float.isNaN(f)) {
      throw new IllegalArgumentException("NaN has no nearest value");
    }
    int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
    double a = Math.abs((double) f);
    if (a >= 65520.0) {
      return (short) (sign | 0x7C00);
    }
    if (a > FINITE[FINITE.length - 1]) {
      return (short) (sign | 0x7BFF); // between 65504 and the overflow midpoint
    }
    int i = Arrays.binarySearch(FINITE, a);
    if (i >= 0) {
      return (short) (sign | i);
    }
    int above = -i - 1;
    int below = above - 1;
    double dBelow = a - FINITE[below];
    double dAbove = FINITE[above] - a;
    int code = dBelow < dAbove ? below : dAbove < dBelow ? above : (below % 2 == 0 ? below : above);
    return (short) (sign | code);
  }

  @Test
  void toFloat_matchesTheDefinitionForEveryCode() {
    for (int code = 0; code < 0x10000; code++) {
      float f = Float16.toFloat((short) code);
      int magnitude = code & 0x7FFF;
      double sign = (code & 0x8000) != 0 ? -1 : 1;
      if (magnitude < 0x7C00) {
        assertEquals(sign * FINITE[magnitude], f, 0.0, "code " + Integer.toHexString(code));
        assertEquals(code >>> 15, Float.floatToRawIntBits(f) >>> 31, "sign of " + code);
      } else if (magnitude == 0x7C00) {
        assertEquals(sign * Double.POSITIVE_INFINITY, f, "code " + Integer.toHexString(code));
      } else {
        assertTrue(Float.isNaN(f), "code " + Integer.toHexString(code));
      }
    }
  }

  @Test
  void fromFloat_roundTripsEveryCode() {
    for (int code = 0; code < 0x10000; code++) {
      if ((code & 0x7FFF) > 0x7C00) {
        continue; // NaN: checked separately
      }
      assertEquals((short) code, Float16.fromFloat(Float16.toFloat((short) code)), "code " + code);
    }
  }

  @Test
  void fromFloat_roundsEveryMidpointAndItsNeighboursLikeTheReference() {
    for (int code = 0; code < 0x7BFF; code++) {
      // The midpoint of two adjacent halves needs 12 significant bits: exact in float.
      float mid = (float) ((FINITE[code] + FINITE[code + 1]) / 2);
      for (float f : new float[] {mid, Math.nextDown(mid), Math.nextUp(mid)}) {
        assertEquals(reference(f), Float16.fromFloat(f), "f = " + f);
        assertEquals(reference(-f), Float16.fromFloat(-f), "f = " + -f);
      }
    }
  }

  @Test
  void fromFloat_matchesTheReferenceOnAStridedSweepOfAllFloats() {
    // 2^32 / 4099 ≈ 1.05 million bit patterns spread over every exponent, both signs.
    for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 4099) {
      float f = Float.intBitsToFloat((int) bits);
      if (!Float.isNaN(f)) {
        assertEquals(reference(f), Float16.fromFloat(f), "bits 0x" + Long.toHexString(bits));
      }
    }
  }

  @Test
  void fromFloat_edgeCases() {
    assertEquals((short) 0x7BFF, Float16.fromFloat(65504f), "max finite");
    assertEquals((short) 0x7BFF, Float16.fromFloat(Math.nextDown(65520f)), "just below overflow");
    assertEquals((short) 0x7C00, Float16.fromFloat(65520f), "tie rounds to even: infinity");
    assertEquals((short) 0xFC00, Float16.fromFloat(Float.NEGATIVE_INFINITY));
    assertEquals((short) 0x0001, Float16.fromFloat(0x1p-24f), "smallest subnormal");
    assertEquals((short) 0x0000, Float16.fromFloat(0x1p-25f), "tie rounds to even: zero");
    assertEquals((short) 0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)));
    assertEquals((short) 0x8000, Float16.fromFloat(-0f), "negative zero keeps its sign");
    assertEquals((short) 0x0400, Float16.fromFloat(Math.nextDown(0x1p-14f)), "carry to normal");
    assertEquals((short) 0x3C00, Float16.fromFloat(1f));
    assertEquals((short) 0x3C00, Float16.fromFloat(1f + 0x1p-11f), "tie rounds to even: 1");
    assertEquals((short) 0x3C02, Float16.fromFloat(1f + 3 * 0x1p-11f), "tie rounds to even: up");
    assertEquals((short) 0x3555, Float16.fromFloat(1f / 3), "1/3 as NumPy gives it");
  }

  @Test
  void fromFloat_keepsNaNaNaN() {
    for (int bits : new int[] {0x7FC0_0000, 0x7F80_0001, 0xFFC0_0000, 0x7FBF_FFFF, 0x7F80_2000}) {
      short h = Float16.fromFloat(Float.intBitsToFloat(bits));
      assertEquals(0x7C00, h & 0x7C00, "exponent all ones for " + Integer.toHexString(bits));
      assertTrue((h & 0x03FF) != 0, "non-zero mantissa for " + Integer.toHexString(bits));
      assertEquals(bits >>> 31, (h >>> 15) & 1, "sign kept for " + Integer.toHexString(bits));
    }
  }
}
