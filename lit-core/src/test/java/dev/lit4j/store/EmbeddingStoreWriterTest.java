package dev.lit4j.store;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.testing.RandomEmbeddings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreWriterTest {
  private static final TowerIdentity TOWER = new TowerIdentity("fake", "sha256:00", "none");

  @TempDir Path dir;

  @Test
  void finish_writesAStoreThatOpensWithTheRowsAndRejectsInOrder() throws IOException {
    // More entries than one batch, so rows cross a commit boundary.
    int n = EmbeddingStoreWriter.BATCH + 300;
    EmbeddingMatrix rows = RandomEmbeddings.gaussian(n, 8, 3);
    Path store = dir.resolve("store");
    try (EmbeddingStoreWriter w = EmbeddingStoreWriter.create(store, TOWER, 8, "sha256:src")) {
      for (int i = 0; i < n; i++) {
        w.add("id-" + i, "img/" + i + ".png", rows.get(i));
        if (i == 5) {
          w.reject("bad", "img/bad.png", "CORRUPT", "premature end of data");
        }
      }
      w.finish();
    }
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      assertEquals(n, s.size());
      assertEquals("id-0", s.ids().get(0));
      assertEquals(n - 1, s.rowOf("id-" + (n - 1)));
      assertAllClose(rows.matrix().toArray(), s.all().matrix().toArray(), 1e-6, 1e-7);
    }
    String rejects = Files.readString(store.resolve(StoreFiles.REJECTS), StandardCharsets.UTF_8);
    assertEquals(
        "{\"line\":7,\"id\":\"bad\",\"path\":\"img/bad.png\",\"reason\":\"CORRUPT\","
            + "\"detail\":\"premature end of data\"}\n",
        rejects);
    StoreMetadata m = StoreFiles.readMetadata(store.resolve(StoreFiles.METADATA));
    assertEquals(n + 1, m.manifestEntries());
    assertEquals(1, m.rejected());
    assertEquals("sha256:src", m.manifestSha256());
  }

  @Test
  void close_withoutFinish_leavesAStoreThatDoesNotOpen() throws IOException {
    EmbeddingMatrix rows = RandomEmbeddings.gaussian(2, 4, 1);
    try (EmbeddingStoreWriter w = EmbeddingStoreWriter.create(dir, TOWER, 4, "sha256:src")) {
      w.add("a", "a.png", rows.get(0));
    }
    assertThrows(IllegalStateException.class, () -> EmbeddingStore.open(dir, TOWER));
  }

  @Test
  void create_inANonEmptyDirectory_throwsNamingTheFiles() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "x");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddingStoreWriter.create(dir, TOWER, 4, "sha256:src"));
    assertTrue(e.getMessage().contains("[notes.txt]"), e.getMessage());
  }

  @Test
  void add_withTheWrongDimension_throwsNamingBoth() throws IOException {
    try (EmbeddingStoreWriter w = EmbeddingStoreWriter.create(dir, TOWER, 4, "sha256:src")) {
      var wrong = RandomEmbeddings.gaussian(1, 3, 1).get(0);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> w.add("a", "a.png", wrong));
      assertTrue(e.getMessage().contains("dimension 3, the store has dimension 4"), e.getMessage());
    }
  }

  @Test
  void finish_withoutRows_throws() throws IOException {
    try (EmbeddingStoreWriter w = EmbeddingStoreWriter.create(dir, TOWER, 4, "sha256:src")) {
      w.reject("a", "a.png", "MISSING", "no such file");
      assertThrows(IllegalStateException.class, w::finish);
    }
  }
}
