package dev.lit4j.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoincidentClassesTest {
  private static final int D = 384;

  @Test
  void find_groupsRowsWithinTheCosineToleranceAndNoOthers() {
    Random random = new Random(1);
    float[][] rows = new float[5][];
    rows[0] = gaussian(random, D);
    rows[1] = perturbed(rows[0], 1e-5, random); // cos ≈ 1 − 5e-11: coincides with 0
    rows[2] = perturbed(rows[0], 3e-3, random); // cos ≈ 1 − 4.5e-6: distinct from 0
    rows[3] = gaussian(random, D);
    rows[4] = rows[3].clone(); // bit-identical to 3

    List<int[]> groups = CoincidentClasses.find(unitRows(rows));

    assertEquals(2, groups.size());
    assertArrayEquals(new int[] {0, 1}, groups.get(0));
    assertArrayEquals(new int[] {3, 4}, groups.get(1));
  }

  @Test
  void find_among10000ClusteredClasses_findsExactlyThePlantedDuplicates() {
    // Real class embeddings share their template words and cluster: mean direction + spread.
    Random random = new Random(2);
    float[] mean = gaussian(random, D);
    float[][] rows = new float[10_000][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = perturbed(mean, 0.5, random);
    }
    rows[9_876] = rows[17].clone();
    rows[5_000] = perturbed(rows[4_242], 1e-5, random);

    List<int[]> groups = CoincidentClasses.find(unitRows(rows));

    assertEquals(2, groups.size());
    assertArrayEquals(new int[] {17, 9_876}, groups.get(0));
    assertArrayEquals(new int[] {4_242, 5_000}, groups.get(1));
  }

  @Test
  void find_10000IdenticalClasses_isOneGroupOfAll() {
    float[] row = gaussian(new Random(3), D);
    float[][] rows = new float[10_000][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row;
    }

    List<int[]> groups = CoincidentClasses.find(unitRows(rows));

    assertEquals(1, groups.size());
    assertEquals(10_000, groups.get(0).length);
    assertEquals(9_999, groups.get(0)[9_999]);
  }

  @Test
  void reject_namesEveryGroupAndTheFix() {
    float[] a = gaussian(new Random(4), D);
    float[] b = gaussian(new Random(5), D);
    float[] c = gaussian(new Random(6), D);
    EmbeddingMatrix m = unitRows(new float[][] {a, b, c, a, b, a});
    List<String> labels = List.of("🐱", "x y", "cat", "🐶", "y x", "猫");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CoincidentClasses.reject(m, labels));

    String msg = e.getMessage();
    assertTrue(msg.contains("labels 0 '🐱', 3 '🐶' and 5 '猫' have the same"), msg);
    assertTrue(msg.contains("labels 1 'x y' and 4 'y x' too"), msg);
    assertTrue(msg.contains("[UNK]"), msg);
    assertTrue(msg.contains("Spell such labels out in words"), msg);
  }

  private static EmbeddingMatrix unitRows(float[][] rows) {
    return EmbeddingMatrix.normalising(FloatMatrix.ofRows(rows));
  }

  private static float[] gaussian(Random random, int d) {
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) random.nextGaussian();
    }
    return scaled(v, 1 / norm(v));
  }

  /** Returns the unit vector of {@code v + noise}, the noise of norm {@code size · |v|}. */
  private static float[] perturbed(float[] v, double size, Random random) {
    float[] noise = gaussian(random, v.length);
    float[] out = new float[v.length];
    double n = norm(v);
    for (int j = 0; j < v.length; j++) {
      out[j] = (float) (v[j] + size * n * noise[j]);
    }
    return scaled(out, 1 / norm(out));
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  private static float[] scaled(float[] v, double f) {
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = (float) (v[j] * f);
    }
    return out;
  }
}
