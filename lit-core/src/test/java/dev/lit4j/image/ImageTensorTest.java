package dev.lit4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTensorTest {

  @Test
  void get_followsTheLayout() {
    float[] v = {0, 1, 2, 3, 4, 5}; // C = 3, H = 1, W = 2
    ImageTensor chw = ImageTensor.of(TensorLayout.NCHW, 3, 1, 2, v);
    ImageTensor hwc = ImageTensor.of(TensorLayout.NHWC, 3, 1, 2, v);
    assertEquals(1f, chw.get(0, 0, 1)); // [c][y][x]
    assertEquals(2f, chw.get(1, 0, 0));
    assertEquals(3f, hwc.get(0, 0, 1)); // [y][x][c]
    assertEquals(1f, hwc.get(1, 0, 0));
    assertNotEquals(chw, hwc);
  }

  @Test
  void of_copiesItsInput_andCopyToFillsAnOffset() {
    float[] v = {1, 2, 3};
    ImageTensor t = ImageTensor.of(TensorLayout.NCHW, 3, 1, 1, v);
    v[0] = 99;
    assertEquals(1f, t.get(0, 0, 0));
    float[] batch = new float[7];
    t.copyTo(batch, 4);
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3}, batch);
    assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(batch, 5));
  }

  @Test
  void of_rejectsWrongCountAndNonFiniteValues_namingThem() {
    float[] two = {1, 2};
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class, () -> ImageTensor.of(TensorLayout.NCHW, 3, 1, 1, two));
    assertTrue(count.getMessage().contains("got 2"), count.getMessage());
    float[] nan = {1, Float.NaN, 3};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageTensor.of(TensorLayout.NCHW, 3, 1, 1, nan));
    assertTrue(e.getMessage().contains("index 1 is NaN"), e.getMessage());
  }
}
