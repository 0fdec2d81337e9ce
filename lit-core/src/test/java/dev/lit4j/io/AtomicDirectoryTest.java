package dev.lit4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
  private static final String MARKER = "marker.json";

  @TempDir Path parent;

  @Test
  void replace_swapsMarkedDirectory_andLeavesNoStagingOrOldCopy() throws IOException {
    Path target = parent.resolve("out");
    AtomicDirectory.replace(target, d -> write(d, "first"), MARKER);
    AtomicDirectory.replace(target, d -> write(d, "second"), MARKER);
    assertEquals("second", Files.readString(target.resolve(MARKER)));
    assertFalse(Files.exists(target.resolve("first.txt")));
    assertEquals(List.of(target), entries(parent));
  }

  @Test
  void replace_whenWriterFails_keepsOldDirectory() throws IOException {
    Path target = parent.resolve("out");
    AtomicDirectory.replace(target, d -> write(d, "old"), MARKER);
    IOException failure = new IOException("disk full");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                AtomicDirectory.replace(
                    target,
                    d -> {
                      write(d, "new");
                      throw failure;
                    },
                    MARKER));
    assertSame(failure, thrown);
    assertEquals("old", Files.readString(target.resolve(MARKER)));
    assertEquals(List.of(target), entries(parent));
  }

  @Test
  void replace_refusesNonEmptyDirectoryWithoutMarker() throws IOException {
    Path target = Files.createDirectory(parent.resolve("photos"));
    Files.writeString(target.resolve("holiday.jpg"), "x");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AtomicDirectory.replace(target, d -> write(d, "new"), MARKER));
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(MARKER), e.getMessage());
    assertTrue(Files.exists(target.resolve("holiday.jpg")));
  }

  @Test
  void deleteRecursively_deletesTree_andIgnoresMissingRoot() throws IOException {
    Path root = Files.createDirectories(parent.resolve("a/b/c"));
    Files.writeString(root.resolve("f"), "x");
    AtomicDirectory.deleteRecursively(parent.resolve("a"));
    assertEquals(List.of(), entries(parent));
    AtomicDirectory.deleteRecursively(parent.resolve("a"));
  }

  private static void write(Path dir, String name) throws IOException {
    Files.writeString(dir.resolve(name + ".txt"), name);
    Files.writeString(dir.resolve(MARKER), name);
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
