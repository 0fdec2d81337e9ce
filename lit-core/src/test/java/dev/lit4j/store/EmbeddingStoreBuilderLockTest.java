package dev.lit4j.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.model.ImageTower;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per store directory, across threads and processes. */
class EmbeddingStoreBuilderLockTest {
  private static final int GOOD = 10;

  /** A generous bound against hanging forever; never reached when the code under test works. */
  private static final long HANG_GUARD_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void build_whileAnotherBuilderInThisJvmWrites_failsNamingTheDirectoryAndTouchesNothing()
      throws Exception {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    CountDownLatch inTower = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    ImageTower paused =
        new ScriptedTower(
            (images, base) -> {
              inTower.countDown();
              awaitQuietly(resume);
              return base.embedAll(images);
            });
    ExecutorService first = Executors.newSingleThreadExecutor();
    try {
      Future<StoreBuildSummary> firstBuild =
          first.submit(() -> builder(manifest, out, paused).build());
      assertTrue(inTower.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "first build started");
      Map<String, byte[]> before = snapshot(out);
      // Another spelling of the same directory, through a symbolic link.
      Path alias = Files.createSymbolicLink(dir.resolve("alias"), out);
      EmbeddingStoreBuilder second = builder(manifest, alias, MeanColourTower.healthy());

      StoreLockedException e = assertThrows(StoreLockedException.class, second::build);

      assertTrue(e.getMessage().contains(alias.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("another build"), e.getMessage());
      assertTrue(e.getMessage().contains("wait for that build to finish"), e.getMessage());
      assertEquals(alias, e.directory());
      assertSnapshotEquals(before, snapshot(out));
      resume.countDown();
      StoreBuildSummary summary = firstBuild.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
      assertEquals(GOOD, summary.embedded());
    } finally {
      resume.countDown();
      first.shutdownNow();
      assertTrue(first.awaitTermination(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    }
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      assertEquals(GOOD, store.size());
    }
  }

  @Test
  void build_withALeftOverLockFile_succeeds() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = Files.createDirectories(dir.resolve("store"));
    Files.writeString(out.resolve(".lock"), "left by a crashed build\n");

    StoreBuildSummary summary = builder(manifest, out, MeanColourTower.healthy()).build();

    assertEquals(GOOD, summary.embedded());
  }

  @Test
  void build_whereTheLockFileCannotBeOpened_failsNamingItAndTheWayToReadTheStore()
      throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = Files.createDirectories(dir.resolve("store"));
    // A directory where the lock file should be: unwritable as a file, even for root (file
    // permissions, the usual cause, do not stop root, who runs CI containers).
    Files.createDirectory(out.resolve(".lock"));
    EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.healthy());

    IOException e = assertThrows(IOException.class, b::build);

    assertTrue(
        e.getMessage()
                .contains("cannot open the build lock file " + out.toRealPath().resolve(".lock"))
            && e.getMessage().contains("EmbeddingStore.open"),
        e.getMessage());
  }

  @Test
  void build_afterAFailedBuild_isNotBlocked() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder failing = builder(manifest, out, MeanColourTower.brokenFromCall(2));
    assertThrows(IllegalStateException.class, failing::build);

    StoreBuildSummary summary = builder(manifest, out, MeanColourTower.healthy()).build();

    assertEquals(GOOD, summary.embedded());
  }

  @Test
  void build_intoADirectoryWithOtherFiles_leavesNoLockFile() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, 2);
    EmbeddingStoreBuilder b = builder(manifest, dir, MeanColourTower.healthy());

    assertThrows(IllegalArgumentException.class, b::build);

    assertFalse(Files.exists(dir.resolve(".lock")));
  }

  @Test
  void build_whileAnotherProcessHoldsTheLock_failsUntilThatProcessDies() throws Exception {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = Files.createDirectories(dir.resolve("store"));
    Process holder = startHolder(out);
    try {
      assertEquals(StoreLockHolder.LOCKED, firstLine(holder));
      EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.healthy());

      StoreLockedException e = assertThrows(StoreLockedException.class, b::build);

      assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
      assertEquals(List.of(".lock"), listing(out), "nothing else was written");
    } finally {
      holder.destroyForcibly(); // SIGKILL: no clean-up, the lock file stays behind
      assertTrue(holder.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
    }
    assertTrue(Files.exists(out.resolve(".lock")));

    StoreBuildSummary summary = builder(manifest, out, MeanColourTower.healthy()).build();

    assertEquals(GOOD, summary.embedded());
  }

  /**
   * Regression guard: closing any channel on a locked file drops the whole process's POSIX lock, so
   * a refused second builder in this JVM must not have opened the lock file.
   */
  @Test
  void acquire_refusedInThisJvm_stillExcludesOtherProcesses() throws Exception {
    Path out = Files.createDirectories(dir.resolve("store"));
    StoreLock held = StoreLock.acquire(out);
    try {
      assertThrows(StoreLockedException.class, () -> StoreLock.acquire(out));

      Process other = startHolder(out);
      String line;
      try {
        line = firstLine(other);
      } finally {
        other.getOutputStream().close();
        assertTrue(other.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
      }

      assertTrue(line.startsWith(StoreLockHolder.BUSY), line);
      assertTrue(line.contains(out.toString()), line);
      assertEquals(3, other.exitValue());
    } finally {
      held.close();
    }
    held.close(); // idempotent
    StoreLock.acquire(out).close(); // released: this JVM can lock it again
  }

  private static EmbeddingStoreBuilder builder(Path manifest, Path out, ImageTower tower) {
    return EmbeddingStoreBuilder.builder(manifest, out, tower).batchSize(3).decodeThreads(2);
  }

  private static Process startHolder(Path dir) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            StoreLockHolder.class.getName(),
            dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** The holder's first output line; fails (rather than hangs) if it exits without one. */
  private static String firstLine(Process p) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertNotNull(line, "the lock holder exited without output");
    return line;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never resumed the tower");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : listing(dir)) {
      files.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return files;
  }

  private static void assertSnapshotEquals(Map<String, byte[]> expected, Map<String, byte[]> actual)
      throws IOException {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
