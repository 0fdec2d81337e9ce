package dev.lit4j.defaultmodel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.io.Checksums;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction into the cache with small in-memory "resources"; no engine. */
class ModelCacheTest {
  private static final Map<String, byte[]> FILES = files();

  @TempDir Path tmp;

  private static Map<String, byte[]> files() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("lit-model.json", "{\"formatVersion\": 1}\n".getBytes(StandardCharsets.UTF_8));
    byte[] weights = new byte[100_000];
    weights[7] = 42;
    m.put("text-tower/weights.bin", weights);
    m.put("text-tower/tokenizer.json", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
    m.put("image-tower/ref.json", "{}".getBytes(StandardCharsets.UTF_8));
    return Map.copyOf(m);
  }

  private static ModelIndex index(Map<String, byte[]> files) {
    List<ModelIndex.Entry> entries = new ArrayList<>();
    files.forEach(
        (path, bytes) ->
            entries.add(new ModelIndex.Entry(Checksums.sha256Hex(bytes), bytes.length, path)));
    return ModelIndex.parse(ModelIndex.format(entries), "test index");
  }

  /** A source over {@code files} that counts the files it opens. */
  private record CountingSource(Map<String, byte[]> files, AtomicInteger opened)
      implements ModelCache.Source {
    CountingSource(Map<String, byte[]> files) {
      this(files, new AtomicInteger());
    }

    @Override
    public ByteArrayInputStream open(String path) {
      opened.incrementAndGet();
      byte[] bytes = files.get(path);
      return bytes == null ? null : new ByteArrayInputStream(bytes);
    }
  }

  private static void assertHoldsFiles(Path dir) throws IOException {
    for (Map.Entry<String, byte[]> e : FILES.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
    }
  }

  private static List<String> hiddenEntries(Path base) throws IOException {
    try (Stream<Path> s = Files.list(base)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void materialise_intoAnEmptyCache_extractsEveryFileUnderTheIndexKey() throws IOException {
    ModelIndex index = index(FILES);
    Path base = tmp.resolve("cache/default-model");
    Path dir = ModelCache.materialise(base, index, new CountingSource(FILES));
    assertEquals(base.resolve(index.key()), dir);
    assertHoldsFiles(dir);
    assertEquals(List.of(), hiddenEntries(base), "staging directory left behind");
  }

  @Test
  void materialise_whenCompleteAlready_opensNoResourceAndRewritesNothing() throws IOException {
    ModelIndex index = index(FILES);
    Path dir = ModelCache.materialise(tmp, index, new CountingSource(FILES));
    Path weights = dir.resolve("text-tower/weights.bin");
    Object inode = Files.readAttributes(weights, "unix:ino").get("ino");
    var modified = Files.getLastModifiedTime(weights);

    CountingSource again = new CountingSource(FILES);
    assertEquals(dir, ModelCache.materialise(tmp, index, again));
    assertEquals(0, again.opened().get());
    assertEquals(inode, Files.readAttributes(weights, "unix:ino").get("ino"));
    assertEquals(modified, Files.getLastModifiedTime(weights));
  }

  @Test
  void materialise_withAFileMissingFromTheCache_reExtracts() throws IOException {
    ModelIndex index = index(FILES);
    Path dir = ModelCache.materialise(tmp, index, new CountingSource(FILES));
    Files.delete(dir.resolve("text-tower/tokenizer.json"));
    assertFalse(index.isCompleteAt(dir));
    assertEquals(dir, ModelCache.materialise(tmp, index, new CountingSource(FILES)));
    assertHoldsFiles(dir);
    assertEquals(List.of(), hiddenEntries(tmp));
  }

  @Test
  void materialise_withAFileChangedInTheCache_reExtracts() throws IOException {
    ModelIndex index = index(FILES);
    Path dir = ModelCache.materialise(tmp, index, new CountingSource(FILES));
    Path weights = dir.resolve("text-tower/weights.bin");
    byte[] flipped = Files.readAllBytes(weights);
    flipped[7] = 43; // same size, other bytes: only the checksum can tell
    Files.write(weights, flipped);
    assertFalse(index.isCompleteAt(dir));
    assertEquals(dir, ModelCache.materialise(tmp, index, new CountingSource(FILES)));
    assertHoldsFiles(dir);
  }

  @Test
  void materialise_withAPartialDirectoryInTheWay_replacesIt() throws IOException {
    ModelIndex index = index(FILES);
    Path partial = Files.createDirectories(tmp.resolve(index.key()));
    Files.write(partial.resolve("lit-model.json"), FILES.get("lit-model.json"));
    Files.writeString(partial.resolve("stray.txt"), "left by a crash");
    Path dir = ModelCache.materialise(tmp, index, new CountingSource(FILES));
    assertEquals(partial, dir);
    assertHoldsFiles(dir);
    assertFalse(Files.exists(dir.resolve("stray.txt")), "the partial directory was not replaced");
    assertEquals(List.of(), hiddenEntries(tmp));
  }

  @Test
  void materialise_givesFilesAndDirectoriesTheProcessDefaultPermissions() throws IOException {
    Path dir = ModelCache.materialise(tmp, index(FILES), new CountingSource(FILES));
    // What any file or directory created here by this process gets: 0666 / 0777 less the umask
    // (rw-r--r-- / rwxr-xr-x under umask 022).
    Set<PosixFilePermission> fileMode =
        Files.getPosixFilePermissions(Files.createFile(tmp.resolve("reference-file")));
    Set<PosixFilePermission> dirMode =
        Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("reference-dir")));
    assertTrue(fileMode.contains(PosixFilePermission.OWNER_READ), fileMode.toString());
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Set<PosixFilePermission> expected = Files.isDirectory(p) ? dirMode : fileMode;
        assertEquals(expected, Files.getPosixFilePermissions(p), p.toString());
      }
    }
  }

  @Test
  void materialise_fromSeveralThreadsAtOnce_installsOneCompleteDirectory() throws Exception {
    // Each call stands for a separate process: ModelCache takes no lock of its own.
    ModelIndex index = index(FILES);
    int callers = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Callable<Path> call =
            () -> {
              start.await();
              Path dir = ModelCache.materialise(tmp, index, new CountingSource(FILES));
              assertTrue(index.isCompleteAt(dir), "returned an incomplete directory");
              return dir;
            };
        results.add(pool.submit(call));
      }
      start.countDown();
      for (Future<Path> r : results) {
        assertEquals(tmp.resolve(index.key()), r.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }
    assertHoldsFiles(tmp.resolve(index.key()));
    assertEquals(List.of(), hiddenEntries(tmp));
  }

  @Test
  void materialise_whenAResourceDiffersFromTheIndex_namesItAndInstallsNothing() {
    ModelIndex index = index(FILES);
    Map<String, byte[]> corrupt = new LinkedHashMap<>(FILES);
    corrupt.put("text-tower/tokenizer.json", "{\"model\": {}} ".getBytes(StandardCharsets.UTF_8));
    CountingSource source = new CountingSource(corrupt);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ModelCache.materialise(tmp, index, source));
    assertTrue(e.getMessage().contains("text-tower/tokenizer.json"), e.getMessage());
    assertTrue(e.getMessage().contains("the jar is corrupt"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve(index.key())));
  }

  @Test
  void materialise_whenAResourceIsMissing_namesItAndLeavesNoStaging() throws IOException {
    ModelIndex index = index(FILES);
    Map<String, byte[]> lacking = new LinkedHashMap<>(FILES);
    lacking.remove("image-tower/ref.json");
    CountingSource source = new CountingSource(lacking);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ModelCache.materialise(tmp, index, source));
    assertTrue(e.getMessage().contains("image-tower/ref.json"), e.getMessage());
    assertEquals(List.of(), hiddenEntries(tmp));
    assertFalse(Files.exists(tmp.resolve(index.key())));
  }
}
