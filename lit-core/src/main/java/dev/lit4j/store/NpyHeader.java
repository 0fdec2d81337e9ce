package dev.lit4j.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} version 1.0 file holding a C-order 2-D array, written
 * byte-for-byte as NumPy ≥ 1.24's {@code np.save} writes it: magic {@code \x93NUMPY}, version bytes
 * 1 0, the little-endian uint16 header length, then the dict {@code {'descr': '<f4',
 * 'fortran_order': False, 'shape': (N, D), }} followed by spaces that leave room for N to grow to
 * 21 digits, padded with spaces and a final newline so that the data starts at a multiple of 64
 * bytes. For 2-D float arrays that is always 128 bytes, whatever N is, so a writer can reserve the
 * header before it knows N.
 *
 * <p>Hand-written rather than taken from a library because the store appends rows as they are
 * embedded and writes N last, which needs that fixed-size header reserved up front; DJL writes
 * {@code .npy}/{@code .npz} only from a complete array in native memory, and lit-core has no
 * engine.
 *
 * @param dtype the element type
 * @param rows N
 * @param cols D
 * @param dataOffset where the data starts
 */
record NpyHeader(StoreDtype dtype, long rows, int cols, int dataOffset) {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ARRAY_ALIGN = 64;
  private static final int PREFIX_LENGTH = MAGIC.length + 2 + 2; // magic, version, uint16 length
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final Pattern DICT =
      Pattern.compile(
          "\\{'descr': '([<>|][a-z][0-9]+)', 'fortran_order': (True|False),"
              + " 'shape': \\((\\d+), (\\d+)\\), \\} *\n");

  /** Returns the header bytes for an array of shape {@code [rows, cols]}. */
  static byte[] encode(StoreDtype dtype, long rows, int cols) {
    String dict =
        "{'descr': '"
            + dtype.descr()
            + "', 'fortran_order': False, 'shape': ("
            + rows
            + ", "
            + cols
            + "), }";
    dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(rows).length());
    int withNewline = dict.length() + 1;
    // NumPy pads by 1..64 spaces (never 0): ARRAY_ALIGN - (prefix + len) % ARRAY_ALIGN.
    int padding = ARRAY_ALIGN - (PREFIX_LENGTH + withNewline) % ARRAY_ALIGN;
    String text = dict + " ".repeat(padding) + "\n";
    byte[] body = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out =
        ByteBuffer.allocate(PREFIX_LENGTH + body.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) body.length).put(body);
    return out.array();
  }

  /**
   * Reads and validates the header at the start of {@code channel}.
   *
   * @throws IOException if the file is not a version 1.0 {@code .npy} file holding a C-order 2-D
   *     float32 or float16 array (the problem is named)
   */
  static NpyHeader read(FileChannel channel, Path file) throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(PREFIX_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, prefix, 0, file);
    for (int i = 0; i < MAGIC.length; i++) {
      if (prefix.get(i) != MAGIC[i]) {
        throw new IOException(file + " is not a .npy file: the magic string \\x93NUMPY is missing");
      }
    }
    if (prefix.get(6) != 1 || prefix.get(7) != 0) {
      throw new IOException(
          file + " has .npy version " + prefix.get(6) + "." + prefix.get(7) + "; expected 1.0");
    }
    int length = Short.toUnsignedInt(prefix.getShort(8));
    ByteBuffer body = ByteBuffer.allocate(length);
    readFully(channel, body, PREFIX_LENGTH, file);
    String text = new String(body.array(), StandardCharsets.US_ASCII);
    Matcher m = DICT.matcher(text);
    if (!m.matches()) {
      throw new IOException(
          file + " has a .npy header that is not a 2-D array description: " + text.strip());
    }
    if (m.group(2).equals("True")) {
      throw new IOException(file + " holds a Fortran-order array; expected C order (row-major)");
    }
    StoreDtype dtype;
    try {
      dtype = StoreDtype.fromDescr(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    long rows = Long.parseLong(m.group(3));
    long cols = Long.parseLong(m.group(4));
    if (cols < 1 || cols > Integer.MAX_VALUE) {
      throw new IOException(file + " has " + cols + " columns; expected 1 to " + Integer.MAX_VALUE);
    }
    return new NpyHeader(dtype, rows, (int) cols, PREFIX_LENGTH + length);
  }

  /** Returns the number of data bytes the header describes. */
  long dataBytes() {
    return rows * cols * dtype.bytes();
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position, Path file)
      throws IOException {
    long at = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw new IOException(file + " ends inside its .npy header");
      }
      at += n;
    }
  }
}
