package dev.lit4j.eval;

import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.zeroshot.ClassScores;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final List<String> LABELS = List.of("a", "b", "c", "d", "e", "f", "g");

  /** Class scores whose ranking is {@code order}: class {@code order[0]} is best. */
  private static ClassScores ranking(int... order) {
    double[] scores = new double[LABELS.size()];
    for (int r = 0; r < order.length; r++) {
      scores[order[r]] = 1.0 - r * 0.1;
    }
    return ClassScores.of(LABELS, scores, new double[LABELS.size()]);
  }

  private final List<ClassScores> predictions =
      List.of(
          ranking(0, 1, 2, 3, 4, 5, 6), // true a: rank 1
          ranking(1, 0, 2, 3, 4, 5, 6), // true a: rank 2
          ranking(6, 5, 4, 3, 2, 1, 0), // true a: rank 7
          ranking(2, 3, 4, 5, 6, 1, 0)); // true b: rank 6

  @Test
  void evaluate_countsTop1AndTop5() {
    ClassificationMetrics m =
        ClassificationMetrics.evaluate(predictions, List.of("a", "a", "a", "b"));
    assertClose(0.25, m.top1(), 1e-12, 0, "top1");
    assertClose(0.5, m.top5(), 1e-12, 0, "top5");
    assertEquals(4, m.count());
  }

  @Test
  void evaluate_withClassIndices_agreesWithLabels() {
    assertEquals(
        ClassificationMetrics.evaluate(predictions, List.of("a", "a", "a", "b")),
        ClassificationMetrics.evaluate(predictions, new int[] {0, 0, 0, 1}));
  }

  @Test
  void evaluate_withUnknownTrueLabel_namesItsIndexAndLabel() {
    List<String> truth = List.of("a", "a", "kat", "b");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.evaluate(predictions, truth));
    assertTrue(e.getMessage().startsWith("true label 2: unknown label 'kat'"), e.getMessage());
  }

  @Test
  void evaluate_withClassIndexOutOfRange_namesPositionAndValue() {
    int[] truth = {0, 0, 9, 1};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.evaluate(predictions, truth));
    assertTrue(e.getMessage().contains("trueClassIndices[2] = 9"), e.getMessage());
  }

  @Test
  void evaluate_withMismatchedSizes_throws() {
    List<String> truth = List.of("a");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.evaluate(predictions, truth));
    assertTrue(e.getMessage().contains("4 predictions and 1 true labels"), e.getMessage());
  }
}
