package dev.lit4j.math;

import static dev.lit4j.testing.NumericAssertions.FLOAT64_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimilarityTest {

  /**
   * Unit roundoff of float32. A float32 dot product of length D, however its terms are grouped,
   * errs by at most about {@code D · u · Σ|xₖ yₖ|} (Higham, Accuracy and Stability, §3.1); we allow
   * exactly that, which is about {@code 3e-5 · Σ|xₖ yₖ|} at D = 576, far below any error a wrong
   * index or a skipped block would cause.
   */
  private static final double FLOAT32_UNIT_ROUNDOFF = 0x1p-24;

  @ParameterizedTest(name = "[{0} x {2}] · [{1} x {2}]ᵀ")
  @CsvSource({
    "1, 1, 1", // smallest
    "3, 5, 7", // below every block size
    "257, 129, 576", // odd row count (two-row kernel tail), D not a multiple of the depth tile
    "17, 513, 131", // one column past a column tile, D with a tail of 3 after groups of four
    "40, 1030, 64", // several column tiles and row blocks
    "0, 4, 3", // no rows
    "4, 3, 0" // D = 0: all dot products are 0
  })
  void matrix_matchesFloat64Reference(int m, int n, int d) {
    Random random = new Random(31L * m + n + 7L * d);
    double[][] x = randomFloatValues(random, m, d);
    double[][] y = randomFloatValues(random, n, d);

    FloatMatrix s = Similarity.matrix(toMatrix(x, d), toMatrix(y, d));

    assertEquals(m, s.rows());
    assertEquals(n, s.cols());
    double[][] expected = Similarity.matrixReference(x, y);
    double[][] magnitude = Similarity.matrixReference(abs(x), abs(y));
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double bound = Math.max(d, 1) * FLOAT32_UNIT_ROUNDOFF * magnitude[i][j];
        assertClose(expected[i][j], s.get(i, j), 0, bound, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void matrix_ofUnitVectors_isAccurateToAFewUlps() {
    Random random = new Random(5);
    int b = 64;
    int d = 1024;
    double[][] x = randomUnitRows(random, b, d);
    double[][] y = randomUnitRows(random, b, d);

    FloatMatrix s = Similarity.matrix(toMatrix(x, d), toMatrix(y, d));

    // Cosines of unit vectors: the brief's "~1e-6" accuracy target, with headroom.
    assertAllClose(Similarity.matrixReference(x, y), s, 0, 2e-6);
  }

  @Test
  void matrix_withDifferentDimensions_namesBoth() {
    FloatMatrix x = FloatMatrix.zeros(2, 7);
    FloatMatrix y = FloatMatrix.zeros(3, 5);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Similarity.matrix(x, y));

    assertTrue(e.getMessage().contains("7") && e.getMessage().contains("5"), e.getMessage());
  }

  @Test
  void matrixReference_computesDotProductsOfRows() {
    double[][] x = {{1, 2}, {0, -1}};
    double[][] y = {{3, 4}, {5, 6}, {-2, 0.5}};

    double[][] s = Similarity.matrixReference(x, y);

    assertAllClose(new double[] {11, 17, -1}, s[0], FLOAT64_RTOL, 0);
    assertAllClose(new double[] {-4, -6, -0.5}, s[1], FLOAT64_RTOL, 0);
  }

  @Test
  void matrixReference_withRaggedRow_namesIt() {
    double[][] x = {{1, 2}};
    double[][] y = {{3, 4}, {5}};

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Similarity.matrixReference(x, y));

    assertTrue(e.getMessage().contains("y[1]"), e.getMessage());
  }

  static double[][] randomFloatValues(Random random, int rows, int cols) {
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      for (int c = 0; c < cols; c++) {
        row[c] = (float) random.nextGaussian();
      }
    }
    return out;
  }

  static double[][] randomUnitRows(Random random, int rows, int cols) {
    double[][] out = randomFloatValues(random, rows, cols);
    for (double[] row : out) {
      double norm = 0;
      for (double v : row) {
        norm += v * v;
      }
      for (int c = 0; c < cols; c++) {
        row[c] = (float) (row[c] / Math.sqrt(norm));
      }
    }
    return out;
  }

  static FloatMatrix toMatrix(double[][] rows, int cols) {
    float[] data = new float[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < cols; c++) {
        data[r * cols + c] = (float) rows[r][c];
      }
    }
    return FloatMatrix.wrap(rows.length, cols, data);
  }

  private static double[][] abs(double[][] m) {
    double[][] out = new double[m.length][];
    for (int r = 0; r < m.length; r++) {
      out[r] = m[r].clone();
      for (int c = 0; c < out[r].length; c++) {
        out[r][c] = Math.abs(out[r][c]);
      }
    }
    return out;
  }
}
