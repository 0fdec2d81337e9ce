package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

  @TempDir Path dir;

  /** Writes an unsigned-byte IDX file, gzipped when the name ends in {@code .gz}. */
  static Path write(Path file, int[] shape, int[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeShort(0);
      out.writeByte(0x08);
      out.writeByte(shape.length);
      for (int s : shape) {
        out.writeInt(s);
      }
      for (int v : values) {
        out.writeByte(v);
      }
    }
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      out.write(bytes.toByteArray());
    }
    return file;
  }

  @Test
  void read_gzippedImages_returnsShapeAndUnsignedValues() throws IOException {
    Path file =
        write(
            dir.resolve("x-idx3-ubyte.gz"),
            new int[] {2, 2, 3},
            new int[] {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255});
    IdxFile idx = IdxFile.read(file);
    assertArrayEquals(new int[] {2, 2, 3}, idx.shape());
    assertEquals(2, idx.count());
    assertArrayEquals(new int[] {250, 251, 252, 253, 254, 255}, idx.item(1));
    assertEquals(255, idx.get(11));
  }

  @Test
  void read_plainLabels_returnsOneValuePerItem() throws IOException {
    IdxFile idx = IdxFile.read(write(dir.resolve("labels"), new int[] {3}, new int[] {9, 0, 7}));
    assertArrayEquals(new int[] {7}, idx.item(2));
  }

  @Test
  void read_withFloatType_namesTheHeaderBytes() throws IOException {
    Path file = dir.resolve("floats");
    Files.write(file, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
    assertTrue(e.getMessage().contains("type 0x0d"), e.getMessage());
  }

  @Test
  void read_truncatedFile_saysHowManyBytesTheShapeNeeds() throws IOException {
    Path file = write(dir.resolve("short"), new int[] {2, 4}, new int[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
    assertTrue(e.getMessage().contains("needs 8 bytes"), e.getMessage());
  }

  @Test
  void constructor_withMismatchedData_namesShapeAndLength() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new IdxFile(new int[] {2}, new byte[3]));
    assertTrue(e.getMessage().contains("[2] needs 2 bytes, got 3"), e.getMessage());
  }
}
