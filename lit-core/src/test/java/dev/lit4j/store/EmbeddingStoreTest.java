package dev.lit4j.store;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void open_indexWithMissingRow_isInconsistent() throws IOException {
    Path index = store.resolve("index.jsonl");
    List<String> lines = Files.readAllLines(index);
    Files.write(index, lines.subList(0, lines.size() - 1));

    IOException e =
        assertThrows(IOException.class, () -> EmbeddingStore.open(store, MeanColourTower.IDENTITY));

    assertTrue(e.getMessage().contains("index.jsonl has " + (GOOD - 1) + " rows"), e.getMessage());
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
