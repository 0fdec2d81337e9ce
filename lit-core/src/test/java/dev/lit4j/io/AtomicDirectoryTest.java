package dev.lit4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void replace_namesItsStagingDirectoryAfterThisProcess() throws IOException {
    Path target = parent.resolve("out");
    String[] staging = new String[1];
    AtomicDirectory.replace(
        target,
        d -> {
          staging[0] = d.getFileName().toString();
          write(d, "x");
        },
        MARKER);
    assertTrue(
        staging[0].startsWith(".out.tmp-" + owner(ProcessHandle.current()) + "-"), staging[0]);
  }

  @Test
  void removeAbandoned_deletesTheStagingOfAWriterThatIsGone_andKeepsThoseOfLiveWriters()
      throws Exception {
    Path dead = side("step-000000003", "tmp", deadOwner());
    Path live = side("step-000000004", "tmp", owner(ProcessHandle.current()));
    Path unrelated = Files.createDirectory(parent.resolve(".cache"));

    List<Path> removed = AtomicDirectory.removeAbandoned(parent);

    assertEquals(List.of(dead), removed);
    assertFalse(Files.exists(dead));
    assertTrue(Files.exists(live.resolve("part.bin")), "a live writer's staging is kept");
    assertTrue(Files.exists(unrelated));
  }

  @Test
  void replace_removesTheStagingOfADeadWriter_beforeWriting() throws Exception {
    Path dead = side("step-000000003", "tmp", deadOwner());
    Path target = parent.resolve("step-000000006");
    AtomicDirectory.replace(target, d -> write(d, "new"), MARKER);
    assertEquals(List.of(target), entries(parent));
    assertFalse(Files.exists(dead));
  }

  @Test
  void removeAbandoned_putsAnOldDirectoryBack_whenItsWriterDiedBetweenTheRenames()
      throws Exception {
    Path old = side("model", "old", deadOwner());
    Files.writeString(old.resolve(MARKER), "previous model");
    AtomicDirectory.removeAbandoned(parent);
    assertEquals("previous model", Files.readString(parent.resolve("model").resolve(MARKER)));
    assertEquals(List.of(parent.resolve("model")), entries(parent));
  }

  @Test
  void removeAbandoned_deletesAnOldDirectory_whenTheTargetWasReplaced() throws Exception {
    Path old = side("model", "old", deadOwner());
    Path target = Files.createDirectory(parent.resolve("model"));
    AtomicDirectory.removeAbandoned(parent);
    assertEquals(List.of(target), entries(parent));
    assertFalse(Files.exists(old));
  }

  @Test
  void removeAbandoned_deletesStagingNamedWithoutItsWriter_onlyOnceItIsADayOld()
      throws IOException {
    Path stale = Files.createDirectory(parent.resolve(".model.tmp-1234567890123"));
    Path fresh = Files.createDirectory(parent.resolve(".model.tmp-987654321"));
    Files.setLastModifiedTime(
        stale,
        FileTime.from(
            Instant.now().minus(AtomicDirectory.UNOWNED_AGE).minus(Duration.ofMinutes(1))));
    assertEquals(List.of(stale), AtomicDirectory.removeAbandoned(parent));
    assertTrue(Files.exists(fresh));
  }

  @Test
  void removeAbandoned_ofAMissingDirectory_doesNothing() throws IOException {
    assertEquals(List.of(), AtomicDirectory.removeAbandoned(parent.resolve("absent")));
  }

  /** Creates {@code .<name>.<kind>-<owner>-k3y} holding a file, as a writer would. */
  private Path side(String name, String kind, String owner) throws IOException {
    Path dir =
        Files.createDirectory(parent.resolve("." + name + "." + kind + "-" + owner + "-k3y"));
    Files.writeString(dir.resolve("part.bin"), "partial");
    return dir;
  }

  private static String owner(ProcessHandle process) {
    return process.pid()
        + "-"
        + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** The owner tag of a process that has exited: a JVM started to print its version. */
  private static String deadOwner() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-version")
            .redirectErrorStream(true)
            .redirectOutput(Redirect.DISCARD)
            .start();
    String tag = owner(p.toHandle());
    assertEquals(0, p.waitFor());
    assertFalse(p.toHandle().isAlive());
    return tag;
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
