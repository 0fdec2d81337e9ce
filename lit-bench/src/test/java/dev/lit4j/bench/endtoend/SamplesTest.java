package dev.lit4j.bench.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void medianOfOddCountIsTheMiddleValueInAnyOrder() {
    assertEquals(3.0, new Samples(new double[] {5, 1, 3}).median());
  }

  @Test
  void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, new Samples(new double[] {4, 1, 2, 3}).median());
  }

  @Test
  void spreadGivesRangeAndHalfSpanRelativeToMedian() {
    // median 100, range 90–110: half-span 10 = 10 % of the median.
    assertEquals("90.0–110 (±10 %)", new Samples(new double[] {110, 90, 100}).spread());
  }

  @Test
  void spreadOfOneRunSaysSo() {
    assertEquals("— (1 run)", new Samples(new double[] {7}).spread());
  }

  @Test
  void valuesAreCopied() {
    double[] v = {1, 2, 3};
    Samples s = new Samples(v);
    v[1] = 100;
    assertEquals(2.0, s.median());
    s.values()[1] = 100;
    assertEquals(2.0, s.median());
  }

  @Test
  void rejectsNoValues() {
    double[] none = {};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Samples(none));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
  }

  @Test
  void formatKeepsThreeSignificantFigures() {
    assertEquals("1263", Samples.format(1263.4));
    assertEquals("96.2", Samples.format(96.24));
    assertEquals("1.02", Samples.format(1.0234));
    assertEquals("0.0123", Samples.format(0.012345));
  }

  @Test
  void rowRendersOneMarkdownTableLine() {
    Row row =
        new Row("w", "B = 2", new Samples(new double[] {1, 3}), "pairs/s", "first step dropped");
    assertEquals(
        "| w | B = 2 | 2.00 pairs/s | 1.00–3.00 (±50 %) | 2 | first step dropped |",
        row.markdown());
  }
}
