package dev.lit4j.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * One preprocessed image as a dense float32 tensor of shape {@code [C, H, W]} ({@link
 * TensorLayout#NCHW}) or {@code [H, W, C]} ({@link TensorLayout#NHWC}), stored in that order.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageTensor {
  private final TensorLayout layout;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] data;

  private ImageTensor(TensorLayout layout, int channels, int height, int width, float[] data) {
    this.layout = layout;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.data = data;
  }

  /**
   * {@return a tensor holding a copy of {@code values}, laid out as {@code layout} says}
   *
   * @param layout the order of {@code values}' axes
   * @param channels the number of channels {@code C}
   * @param height the height {@code H} in pixels
   * @param width the width {@code W} in pixels
   * @param values {@code C · H · W} finite values, copied
   * @throws IllegalArgumentException if a dimension is not positive, the value count is not {@code
   *     channels · height · width}, or a value is NaN or infinite (the index is named)
   */
  public static ImageTensor of(
      TensorLayout layout, int channels, int height, int width, float[] values) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(values, "values");
    return wrap(layout, channels, height, width, values.clone());
  }

  static ImageTensor wrap(
      TensorLayout layout, int channels, int height, int width, float[] values) {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image tensor dimensions must be positive, got channels="
              + channels
              + ", height="
              + height
              + ", width="
              + width);
    }
    long n = (long) channels * height * width;
    if (values.length != n) {
      throw new IllegalArgumentException(
          "an image tensor of "
              + channels
              + "×"
              + height
              + "×"
              + width
              + " needs "
              + n
              + " values, got "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "image tensor value at index " + i + " is " + values[i] + "; values must be finite");
      }
    }
    return new ImageTensor(layout, channels, height, width, values);
  }

  /** {@return the axis order of {@link #toArray()}} */
  public TensorLayout layout() {
    return layout;
  }

  /** {@return the number of channels {@code C}} */
  public int channels() {
    return channels;
  }

  /** {@return the height {@code H} in pixels} */
  public int height() {
    return height;
  }

  /** {@return the width {@code W} in pixels} */
  public int width() {
    return width;
  }

  /** {@return the number of values, {@code C · H · W}} */
  public int size() {
    return data.length;
  }

  /**
   * {@return the value of channel {@code c} at row {@code y}, column {@code x}, whatever the
   * layout}
   *
   * @param c the channel
   * @param y the row
   * @param x the column
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public float get(int c, int y, int x) {
    Objects.checkIndex(c, channels);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    return layout == TensorLayout.NCHW
        ? data[(c * height + y) * width + x]
        : data[(y * width + x) * channels + c];
  }

  /** {@return a copy of the values in {@link #layout()} order} */
  public float[] toArray() {
    return data.clone();
  }

  /**
   * Copies the values, in {@link #layout()} order, into {@code destination} from {@code offset} on;
   * used to fill one slot of a batch without an intermediate copy.
   *
   * @param destination the array to fill
   * @param offset the index in {@code destination} of the first value
   * @throws IndexOutOfBoundsException if {@code destination} has fewer than {@code offset + size()}
   *     elements
   */
  public void copyTo(float[] destination, int offset) {
    Objects.requireNonNull(destination, "destination");
    Objects.checkFromIndexSize(offset, data.length, destination.length);
    System.arraycopy(data, 0, destination, offset, data.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTensor t
        && t.layout == layout
        && t.channels == channels
        && t.height == height
        && t.width == width
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layout, channels, height, width, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "ImageTensor[" + layout + ", " + channels + "×" + height + "×" + width + "]";
  }
}
