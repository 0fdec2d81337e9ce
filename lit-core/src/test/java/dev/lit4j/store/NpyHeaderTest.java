package dev.lit4j.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyHeaderTest {
  @TempDir Path dir;

  /**
   * The first 128 bytes of {@code np.save(f, np.zeros((3, 4), dtype='<f4'))} with NumPy 2.4.6:
   * magic, version 1.0, length 0x76 = 118, the dict, 21 − 1 growth spaces plus alignment padding,
   * newline.
   */
  private static byte[] numpyHeader(String descr) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0});
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (3, 4), }";
    b.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(" ".repeat(58).getBytes(StandardCharsets.US_ASCII));
    b.write('\n');
    return b.toByteArray();
  }

  @Test
  void encode_matchesNumpyByteForByte() {
    assertArrayEquals(numpyHeader("<f4"), NpyHeader.encode(StoreDtype.FLOAT32, 3, 4));
    assertArrayEquals(numpyHeader("<f2"), NpyHeader.encode(StoreDtype.FLOAT16, 3, 4));
  }

  @Test
  void encode_alwaysAlignsTheDataTo64BytesAndHasAFixedLength() {
    for (long rows : new long[] {0, 1, 9, 10, 123_456, 1L << 40, Long.MAX_VALUE}) {
      for (int cols : new int[] {1, 512, 768, 1_000_000}) {
        byte[] header = NpyHeader.encode(StoreDtype.FLOAT32, rows, cols);
        assertEquals(128, header.length, "rows " + rows + ", cols " + cols);
        assertEquals('\n', header[header.length - 1]);
      }
    }
  }

  @Test
  void read_parsesWhatEncodeWrote() throws IOException {
    Path file =
        Files.write(dir.resolve("a.npy"), NpyHeader.encode(StoreDtype.FLOAT16, 12_345, 768));

    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      NpyHeader h = NpyHeader.read(ch, file);

      assertEquals(new NpyHeader(StoreDtype.FLOAT16, 12_345, 768, 128), h);
      assertEquals(12_345L * 768 * 2, h.dataBytes());
    }
  }

  @Test
  void read_fortranOrder_throws() throws IOException {
    byte[] header = NpyHeader.encode(StoreDtype.FLOAT32, 3, 4);
    String text =
        new String(header, StandardCharsets.ISO_8859_1)
            .replace("False,", "True,")
            .replace(" \n", "  \n");
    Path file = Files.write(dir.resolve("f.npy"), text.getBytes(StandardCharsets.ISO_8859_1));

    IOException e = assertThrows(IOException.class, () -> read(file));

    assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
  }

  @Test
  void read_float64_throwsNamingTheDtype() throws IOException {
    byte[] header = NpyHeader.encode(StoreDtype.FLOAT32, 3, 4);
    String text = new String(header, StandardCharsets.ISO_8859_1).replace("<f4", "<f8");
    Path file = Files.write(dir.resolve("d.npy"), text.getBytes(StandardCharsets.ISO_8859_1));

    IOException e = assertThrows(IOException.class, () -> read(file));

    assertTrue(e.getMessage().contains("'<f8'"), e.getMessage());
  }

  @Test
  void read_notNpy_throws() throws IOException {
    Path file = Files.writeString(dir.resolve("x.npy"), "PK this is a zip, not npy");

    IOException e = assertThrows(IOException.class, () -> read(file));

    assertTrue(e.getMessage().contains("magic"), e.getMessage());
  }

  @Test
  void read_truncatedHeader_throws() throws IOException {
    byte[] header = NpyHeader.encode(StoreDtype.FLOAT32, 3, 4);
    Path file = Files.write(dir.resolve("t.npy"), java.util.Arrays.copyOf(header, 40));

    IOException e = assertThrows(IOException.class, () -> read(file));

    assertTrue(e.getMessage().contains("ends inside"), e.getMessage());
  }

  private static NpyHeader read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return NpyHeader.read(ch, file);
    }
  }
}
