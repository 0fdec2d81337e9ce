package dev.lit4j.pytorch.kernel;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
import dev.lit4j.pytorch.ComputeDevice;
import org.junit.jupiter.api.Test;

class PyTorchSimilarityTest {
  /**
   * Entries of X Yᵀ for unit rows are at most 1 in magnitude; float32 dot products of length D
   * carry an absolute error of a few ulps of 1 (lit-core's Similarity documents the bound).
   */
  private static final double UNIT_DOT_ATOL = 10 * FLOAT32_RTOL;

  private static final FloatMatrix X = Batches.unitRows(33, 50, 41);
  private static final FloatMatrix Y = Batches.unitRows(19, 50, 42);

  @Test
  void matrix_matchesFloat64ReferenceAndLitCoreKernel() {
    try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu())) {
      FloatMatrix actual = similarity.matrix(X, Y);
      assertEquals(33, actual.rows());
      assertEquals(19, actual.cols());
      double[][] reference = Similarity.matrixReference(Batches.toDouble(X), Batches.toDouble(Y));
      assertAllClose(reference, actual, 0, UNIT_DOT_ATOL);
      assertAllClose(Similarity.matrix(X, Y), actual, 0, UNIT_DOT_ATOL);
    }
  }

  @Test
  void matrix_ofUnitRowsWithThemselves_hasOnesOnTheDiagonal() {
    try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu())) {
      FloatMatrix s = similarity.matrix(X, X);
      for (int i = 0; i < X.rows(); i++) {
        assertEquals(1.0, s.get(i, i), UNIT_DOT_ATOL, "cos(x, x) at " + i);
        assertEquals(s.get(i, (i + 1) % X.rows()), s.get((i + 1) % X.rows(), i), UNIT_DOT_ATOL);
      }
    }
  }

  @Test
  void matrix_withNoRows_returnsAnEmptyMatrix() {
    try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu())) {
      FloatMatrix s = similarity.matrix(FloatMatrix.zeros(0, 50), Y);
      assertEquals(0, s.rows());
      assertEquals(19, s.cols());
    }
  }

  @Test
  void matrix_withDifferentDimensions_throwsNamingBothShapes() {
    FloatMatrix wide = Batches.unitRows(19, 51, 1);
    try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> similarity.matrix(X, wide));
      assertTrue(e.getMessage().contains("[33 x 50]"), e.getMessage());
      assertTrue(e.getMessage().contains("[19 x 51]"), e.getMessage());
    }
  }

  @Test
  void manyCalls_leaveNoArrayBehind() {
    try (PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu())) {
      for (int i = 0; i < 50; i++) {
        similarity.matrix(X, Y);
      }
      assertEquals(0, similarity.managedArrayCount());
    }
  }

  @Test
  void closedSimilarity_throwsAndCloseIsIdempotent() {
    PyTorchSimilarity similarity = PyTorchSimilarity.on(ComputeDevice.cpu());
    similarity.close();
    similarity.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> similarity.matrix(X, Y));
    assertEquals("PyTorchSimilarity is closed", e.getMessage());
  }
}
