package dev.lit4j.store;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EmbeddingStoreTest {
  private static final int GOOD = 10;

  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void buildStore() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    store = dir.resolve("store");
    EmbeddingStoreBuilder.builder(manifest, store, MeanColourTower.healthy()).batchSize(4).build();
  }

  @Test
  void npyFile_isAlignedAndHoldsTheRowsRowMajorLittleEndian() throws IOException {
    byte[] bytes = Files.readAllBytes(store.resolve("embeddings.npy"));
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int d = MeanColourTower.DIMENSION;

    assertEquals(128 + GOOD * d * 4, bytes.length);
    assertTrue(
        new String(bytes, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("'shape': (" + GOOD + ", " + d + "), }"));
    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      for (int row = 0; row < GOOD; row++) {
        float[] raw = new float[d];
        for (int c = 0; c < d; c++) {
          raw[c] = data.getFloat(128 + 4 * (row * d + c));
        }
        assertAllClose(raw, s.get(row).toArray(), FLOAT32_RTOL, 0);
      }
    }
  }

  @Test
  void rows_acrossManySmallSegments_matchOneSegment() throws IOException {
    // 3 rows per mapped segment: the code path of stores larger than 2 GiB, at test size.
    long tiny = 3L * MeanColourTower.DIMENSION * 4;
    try (EmbeddingStore whole = EmbeddingStore.open(store, MeanColourTower.IDENTITY);
        EmbeddingStore split = EmbeddingStore.open(store, MeanColourTower.IDENTITY, tiny)) {
      assertEquals(whole.all(), split.all());
      for (int from = 0; from < GOOD; from++) {
        for (int to = from + 1; to <= GOOD; to++) {
          assertEquals(whole.rows(from, to), split.rows(from, to), from + ".." + to);
        }
        assertEquals(whole.get(from), split.get(from));
      }
      EmbeddingMatrix middle = split.rows(2, 8);
      assertEquals(6, middle.size());
      assertEquals(split.get(5), middle.get(3));
    }
  }

  @Test
  void open_withAnotherTower_throwsNamingBothIdentities() {
    TowerIdentity other = new TowerIdentity("vit-b16", "sha256:beef", "resize 224");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EmbeddingStore.open(store, other));

    assertTrue(
        e.getMessage().contains("'mean-colour-test' (checksum sha256:0123abcd"), e.getMessage());
    assertTrue(e.getMessage().contains("'vit-b16' (checksum sha256:beef"), e.getMessage());
  }

  @Test
  void open_incompleteStore_saysToResume() throws IOException {
    Path manifest = TestImages.mixedManifest(dir.resolve("other"), GOOD);
    Path partial = dir.resolve("partial");
    assertThrows(
        IllegalStateException.class,
        () ->
            EmbeddingStoreBuilder.builder(manifest, partial, MeanColourTower.brokenFromCall(2))
                .batchSize(4)
                .build());

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> EmbeddingStore.open(partial, MeanColourTower.IDENTITY));

    assertTrue(
        e.getMessage().contains("incomplete") && e.getMessage().contains("resume"), e.getMessage());
  }

  @Test
  void open_directoryWithoutStore_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddingStore.open(dir, MeanColourTower.IDENTITY));

    assertTrue(e.getMessage().contains("store.json"), e.getMessage());
  }

  @Test
  void open_truncatedData_isInconsistent() throws IOException {
    Path data = store.resolve("embeddings.npy");
    try (var ch = java.nio.channels.FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(data) - 4);
    }

    IOException e =
        assertThrows(IOException.class, () -> EmbeddingStore.open(store, MeanColourTower.IDENTITY));

    assertTrue(
        e.getMessage().contains("inconsistent") && e.getMessage().contains("bytes"),
        e.getMessage());
  }

  @Test
  void ids_indexWithMissingRow_isInconsistent() throws IOException {
    Path index = store.resolve("index.jsonl");
    List<String> lines = Files.readAllLines(index);
    Files.write(index, lines.subList(0, lines.size() - 1));

    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, s::ids);

      assertTrue(
          e.getMessage().contains("index.jsonl has " + (GOOD - 1) + " rows"), e.getMessage());
      IOException viaVisitor = assertThrows(IOException.class, () -> s.forEachId((r, id) -> {}));
      assertTrue(viaVisitor.getMessage().contains("rebuild"), viaVisitor.getMessage());
    }
  }

  /**
   * Opening reads no id: a store whose index is unreadable opens, tells its size and serves rows;
   * only the first use of the ids reads the index (and fails here, naming the line).
   */
  @Test
  void open_readsNoIds_untilFirstAsked() throws IOException {
    Path index = store.resolve("index.jsonl");
    Files.writeString(index, "not json\n".repeat(GOOD));

    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      assertEquals(GOOD, s.size());
      assertEquals(MeanColourTower.DIMENSION, s.rows(0, GOOD).dimension());
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.rowOf("x"));
      assertTrue(e.getMessage().contains("index.jsonl line 1 is malformed"), e.getMessage());
    }
  }

  @Test
  void forEachId_visitsTheIdsInRowOrder() throws IOException {
    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      List<String> seen = new ArrayList<>();
      s.forEachId(
          (row, id) -> {
            assertEquals(seen.size(), row);
            seen.add(id);
          });
      assertEquals(s.ids(), seen);
    }
  }

  /** Gather in any order, with repeats, equals the same rows read by range, bit for bit. */
  @ParameterizedTest
  @EnumSource(StoreDtype.class)
  void gather_equalsRows_forEitherDtype(StoreDtype dtype) throws IOException {
    int d = 7;
    int n = 50;
    Random random = new Random(3);
    Path written = dir.resolve("written-" + dtype);
    TowerIdentity identity = new TowerIdentity("t", "c", "p");
    try (EmbeddingStoreWriter w = EmbeddingStoreWriter.create(written, identity, d, "src", dtype)) {
      for (int i = 0; i < n; i++) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
          v[j] = (float) random.nextGaussian();
        }
        w.add("id-" + i, "p" + i, Embedding.of(v));
      }
      w.finish();
    }
    long fourRows = 4L * d * dtype.bytes();
    try (EmbeddingStore s = EmbeddingStore.open(written, identity, fourRows)) {
      assertEquals(dtype, s.dtype());
      float[] all = s.all().matrix().toArray();
      int[] rows = {49, 0, 3, 4, 3, 17, 48};
      float[] out = new float[rows.length * d + 5];
      s.gather(rows, out);
      for (int k = 0; k < rows.length; k++) {
        // Same bits: gather and rows() share the normalisation arithmetic.
        assertArrayEquals(
            Arrays.copyOfRange(all, rows[k] * d, rows[k] * d + d),
            Arrays.copyOfRange(out, k * d, k * d + d),
            "row " + rows[k]);
      }
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> s.gather(new int[] {1, n}, out));
      assertTrue(e.getMessage().contains("rows[1] = " + n), e.getMessage());
      IllegalArgumentException shortOut =
          assertThrows(IllegalArgumentException.class, () -> s.gather(rows, new float[d]));
      assertTrue(shortOut.getMessage().contains("out holds " + d), shortOut.getMessage());
    }
  }

  /**
   * An interrupt closes the channel a reading thread was using (Java's rule); the call that was
   * interrupted fails, and the store opens the file again for the next one.
   */
  @Test
  void gather_afterAnInterruptedGather_readsAgain() throws IOException {
    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      int d = s.dimension();
      float[] out = new float[2 * d];
      Thread.currentThread().interrupt();
      try {
        UncheckedIOException e =
            assertThrows(UncheckedIOException.class, () -> s.gather(new int[] {1, 2}, out));
        assertTrue(e.getMessage().contains("interrupted while reading row 1"), e.getMessage());
      } finally {
        Thread.interrupted();
      }
      s.gather(new int[] {1, 2}, out);
      assertArrayEquals(s.rows(1, 3).matrix().toArray(), out);
      s.close();
      assertThrows(IllegalStateException.class, () -> s.gather(new int[] {1}, out));
    }
  }

  @Test
  void open_newerFormatVersion_throwsNamingIt() throws IOException {
    Path json = store.resolve("store.json");
    Files.writeString(
        json, Files.readString(json).replace("\"formatVersion\": 1", "\"formatVersion\": 2"));

    IOException e =
        assertThrows(IOException.class, () -> EmbeddingStore.open(store, MeanColourTower.IDENTITY));

    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
  }

  @Test
  void rows_outOfRange_throw() throws IOException {
    try (EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY)) {
      assertThrows(IndexOutOfBoundsException.class, () -> s.rows(5, GOOD + 1));
      assertThrows(IndexOutOfBoundsException.class, () -> s.get(-1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.rows(3, 3));
      assertTrue(e.getMessage().contains("[3, 3)"), e.getMessage());
    }
  }

  @Test
  void close_isIdempotentAndLaterUseThrows() throws IOException {
    EmbeddingStore s = EmbeddingStore.open(store, MeanColourTower.IDENTITY);
    s.close();
    s.close();

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(0));

    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, s::ids);
  }
}
