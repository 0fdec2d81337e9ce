package dev.lit4j.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassScoresTest {
  private final ClassScores scores =
      ClassScores.of(
          List.of("cat", "dog", "car"), new double[] {0.2, 0.5, 0.3}, new double[] {0.1, 0.4, 0.2});

  @Test
  void ranked_isSortedBestFirstWithLabelsAndIndices() {
    assertEquals(
        List.of(
            new ClassScore("dog", 1, 0.5, 0.4),
            new ClassScore("car", 2, 0.3, 0.2),
            new ClassScore("cat", 0, 0.2, 0.1)),
        scores.ranked());
    assertEquals("dog", scores.best().label());
  }

  @Test
  void ranked_breaksTiesByLowerClassIndex() {
    ClassScores tied =
        ClassScores.of(List.of("a", "b", "c"), new double[] {0.2, 0.4, 0.4}, new double[3]);
    assertEquals(List.of(1, 2, 0), tied.ranked().stream().map(ClassScore::classIndex).toList());
  }

  @Test
  void top_returnsTheKBestAndAtMostAllClasses() {
    assertEquals(List.of("dog", "car"), scores.top(2).stream().map(ClassScore::label).toList());
    assertEquals(3, scores.top(10).size());
  }

  @Test
  void top_withZero_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scores.top(0));
    assertEquals("k must be at least 1, got 0", e.getMessage());
  }

  @Test
  void scoreOf_acceptsCanonicalAndRawLabels() {
    assertEquals(0.3, scores.scoreOf("car"));
    assertEquals(0.3, scores.scoreOf(" CAR! "));
    assertEquals(2, scores.rankOf("car"));
  }

  @Test
  void scoreOf_withUnknownLabel_namesItAndTheKnownLabels() {
    ClassScores catDog =
        ClassScores.of(List.of("cat", "dog"), new double[] {0.7, 0.3}, new double[2]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> catDog.scoreOf("kat"));
    assertEquals("unknown label 'kat', expected one of [cat, dog]", e.getMessage());
  }

  @Test
  void of_withMismatchedSizes_throws() {
    double[] two = new double[2];
    double[] three = new double[3];
    List<String> labels = List.of("a", "b", "c");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClassScores.of(labels, two, three));
    assertEquals(
        "need one score and cosine per label, got 3 labels, 2 scores, 3 cosines (at least one)",
        e.getMessage());
  }
}
