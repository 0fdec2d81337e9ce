package dev.lit4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void write_replacesExistingContent_andLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("a.bin");
    Files.write(target, new byte[] {9, 9, 9, 9});
    AtomicFiles.write(target, new byte[] {1, 2});
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
    assertEquals(List.of(target), entries());
  }

  @Test
  void write_givesTheUmaskPermissions_notTheOwnerOnlyModeOfTemporaryFiles() throws IOException {
    // A file created the ordinary way shows what the umask allows here (typically rw-r--r--).
    Path ordinary = Files.createFile(dir.resolve("ordinary.txt"));
    Path target = dir.resolve("model.safetensors");
    AtomicFiles.write(target, new byte[] {1});
    assertEquals(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(ordinary)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertTrue(
        Files.getPosixFilePermissions(target).contains(PosixFilePermission.OTHERS_READ)
            || !Files.getPosixFilePermissions(ordinary).contains(PosixFilePermission.OTHERS_READ),
        "saved file is not readable by others although the umask allows it");
  }

  @Test
  void writeString_encodesUtf8() throws IOException {
    Path target = dir.resolve("t.json");
    AtomicFiles.writeString(target, "{\"name\": \"café\"}");
    assertEquals("{\"name\": \"café\"}", Files.readString(target, StandardCharsets.UTF_8));
  }

  @Test
  void copy_copiesTheSourceBytes() throws IOException {
    Path source = Files.write(dir.resolve("src.bin"), new byte[] {4, 5, 6});
    Path target = dir.resolve("dst.bin");
    AtomicFiles.copy(source, target);
    assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(target));
  }

  @Test
  void write_streamsLargeContent() throws IOException {
    Path target = dir.resolve("big.bin");
    byte[] chunk = new byte[100_000];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    AtomicFiles.write(
        target,
        out -> {
          out.write(chunk);
          out.write(chunk);
        });
    byte[] read = Files.readAllBytes(target);
    assertEquals(2 * chunk.length, read.length);
    assertEquals(chunk[99_999], read[199_999]);
  }

  @Test
  void write_whenContentFails_keepsOldFileAndDeletesTemporary() throws IOException {
    Path target = Files.writeString(dir.resolve("keep.txt"), "old");
    IOException failure = new IOException("encoder failed");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half".getBytes(StandardCharsets.UTF_8));
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals("old", Files.readString(target));
    assertEquals(List.of(target), entries());
  }

  @Test
  void moveIntoPlace_replacesTargetWithSource() throws IOException {
    Path source = Files.writeString(dir.resolve("x.tmp"), "new");
    Path target = Files.writeString(dir.resolve("x"), "old");
    AtomicFiles.moveIntoPlace(source, target);
    assertEquals("new", Files.readString(target));
    assertEquals(List.of(target), entries());
  }

  @Test
  void write_withNullContent_throwsNamingIt() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> AtomicFiles.write(dir.resolve("n"), (AtomicFiles.Content) null));
    assertEquals("content", e.getMessage());
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
