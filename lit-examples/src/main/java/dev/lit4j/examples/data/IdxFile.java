package dev.lit4j.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte tensor read from an IDX file, the format of MNIST and Fashion-MNIST (LeCun et
 * al.): a big-endian header of two zero bytes, the element type ({@code 0x08} = unsigned byte, the
 * only type accepted here), the number of dimensions, then one 32-bit size per dimension, followed
 * by the elements in row-major order. Files ending in {@code .gz} are decompressed on the fly.
 *
 * <p>Thread-safe: immutable (accessors return copies).
 *
 * @param shape the size of each dimension, e.g. {@code [10000, 28, 28]} for images or {@code
 *     [10000]} for labels
 * @param data the elements, row-major, each an unsigned byte stored in a Java {@code byte}
 */
public record IdxFile(int[] shape, byte[] data) {

  private static final int UNSIGNED_BYTE = 0x08;

  /**
   * @throws IllegalArgumentException if a size is negative or the element count does not match the
   *     shape
   */
  public IdxFile {
    shape = Objects.requireNonNull(shape, "shape").clone();
    data = Objects.requireNonNull(data, "data").clone();
    long count = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("IDX sizes must be >= 0, got " + Arrays.toString(shape));
      }
      count *= s;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "IDX shape " + Arrays.toString(shape) + " needs " + count + " bytes, got " + data.length);
    }
  }

  /**
   * Reads an IDX file ({@code .gz} or plain).
   *
   * @throws IOException if the file cannot be read, is truncated, or its header is not an
   *     unsigned-byte IDX header (the bad bytes are named)
   */
  public static IdxFile read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        DataInputStream data = new DataInputStream(in)) {
      int zero = data.readUnsignedShort();
      int type = data.readUnsignedByte();
      int dims = data.readUnsignedByte();
      if (zero != 0 || type != UNSIGNED_BYTE || dims == 0) {
        throw new IOException(
            file
                + " is not an unsigned-byte IDX file: header starts 0x%04x, type 0x%02x, %d dimensions (expected 0x0000, 0x08, at least 1)"
                    .formatted(zero, type, dims));
      }
      int[] shape = new int[dims];
      long count = 1;
      for (int i = 0; i < dims; i++) {
        shape[i] = data.readInt();
        count *= Integer.toUnsignedLong(shape[i]);
      }
      if (count > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": IDX shape " + Arrays.toString(shape) + " is too large");
      }
      byte[] bytes = new byte[(int) count];
      try {
        data.readFully(bytes);
      } catch (EOFException e) {
        throw new IOException(
            file + " is truncated: shape " + Arrays.toString(shape) + " needs " + count + " bytes",
            e);
      }
      return new IdxFile(shape, bytes);
    }
  }

  /** Returns a copy of the shape. */
  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Returns a copy of the elements. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Returns the number of items along the first dimension. */
  public int count() {
    return shape[0];
  }

  /** Returns element {@code index} (row-major) as an unsigned value, 0 to 255. */
  public int get(int index) {
    return Byte.toUnsignedInt(data[index]);
  }

  /**
   * Returns item {@code i} along the first dimension (an image's pixels, or one label) as unsigned
   * values.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, count())}
   */
  public int[] item(int i) {
    Objects.checkIndex(i, shape[0]);
    int size = data.length / Math.max(1, shape[0]);
    int[] out = new int[size];
    for (int j = 0; j < size; j++) {
      out[j] = Byte.toUnsignedInt(data[i * size + j]);
    }
    return out;
  }
}
