package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreWriter;
import dev.lit4j.store.StoreDtype;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredPairsTest {
  private static final int N = 12;
  private static final int D = 5;
  private static final TowerIdentity TOWER = new TowerIdentity("tower", "abc", "none");

  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void writeStore() throws IOException {
    store = dir.resolve("store");
    Random random = new Random(5);
    try (EmbeddingStoreWriter w =
        EmbeddingStoreWriter.create(store, TOWER, D, "source", StoreDtype.FLOAT16)) {
      for (int i = 0; i < N; i++) {
        float[] v = new float[D];
        for (int j = 0; j < D; j++) {
          v[j] = (float) random.nextGaussian();
        }
        w.add("im" + i, "p" + i, Embedding.of(v));
      }
      w.finish();
    }
  }

  /**
   * Lines out of store order, an id on several lines, arrays, non-ASCII text, a CRLF line end, a
   * blank line and no newline at the end: every caption as fromStore reads it, in its order.
   */
  private Path messyCaptions() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = N - 1; i >= 0; i--) {
      if (i % 3 == 0) {
        text.append("{\"id\": \"im" + i + "\", \"captions\": [\"chat n°" + i + "\", \"猫 " + i)
            .append(" 🐈\"], \"path\": \"x\"}\r\n");
      } else {
        text.append("{\"id\": \"im" + i + "\", \"caption\": \"a dog, café " + i + "\"}\n");
      }
      if (i == 6) {
        text.append("\n");
      }
    }
    text.append("{\"id\": \"im4\", \"caption\": \"second for four\"}\n");
    text.append("{\"id\": \"im0\", \"caption\": \"third for zero\"}");
    Path file = dir.resolve("captions.jsonl");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static List<List<String>> captionsOf(TrainingPairs pairs) {
    List<List<String>> all = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      List<String> mine = new ArrayList<>();
      for (int j = 0; j < pairs.captionCount(i); j++) {
        mine.add(pairs.caption(i, j));
      }
      all.add(mine);
    }
    return all;
  }

  @Test
  void open_givesTheRowsCaptionsAndPlansOfFromStore() throws IOException {
    Path captions = messyCaptions();
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER);
        StoredPairs streamed = StoredPairs.open(s, captions)) {
      PairedEmbeddings inMemory = PairedEmbeddings.fromStore(s, captions);

      assertEquals(N, streamed.size());
      assertEquals(D, streamed.dimension());
      assertEquals(inMemory.imageIdentity(), streamed.imageIdentity());
      assertEquals(inMemory.captions(), captionsOf(streamed));
      assertEquals(List.of("chat n°0", "猫 0 🐈", "third for zero"), captionsOf(streamed).get(0));
      int[] rows = {11, 0, 4, 4, 7};
      float[] expected = new float[rows.length * D];
      float[] actual = new float[rows.length * D];
      inMemory.imageRows(rows, expected);
      streamed.imageRows(rows, actual);
      assertArrayEquals(expected, actual);
      for (int epoch = 0; epoch < 3; epoch++) {
        EpochPlan a = EpochPlan.of(9, epoch, inMemory);
        EpochPlan b = EpochPlan.of(9, epoch, streamed);
        for (int batch = 0; batch < a.batchCount(4); batch++) {
          assertArrayEquals(a.batch(batch, 4).imageIndices(), b.batch(batch, 4).imageIndices());
          assertEquals(a.batch(batch, 4).captions(), b.batch(batch, 4).captions());
        }
      }
    }
  }

  @Test
  void open_buildsTheIndexOnce_andReusesIt() throws IOException {
    Path captions = messyCaptions();
    Path index;
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER);
        StoredPairs first = StoredPairs.open(s, captions)) {
      index = first.captionIndexFile();
      assertEquals(dir.resolve("captions.jsonl.lit4j-index"), index);
    }
    FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(index, marked);
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER);
        StoredPairs again = StoredPairs.open(s, captions)) {
      assertEquals("a dog, café 1", again.caption(1, 0));
    }
    assertEquals(marked, Files.getLastModifiedTime(index), "the index was rewritten");
  }

  @Test
  void open_afterTheCaptionsChanged_rebuildsTheIndex() throws IOException {
    Path captions = messyCaptions();
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      try (StoredPairs first = StoredPairs.open(s, captions)) {
        assertEquals(3, first.captionCount(0));
      }
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        lines.add("{\"id\": \"im" + i + "\", \"caption\": \"new " + i + "\"}");
      }
      Files.write(captions, lines);
      try (StoredPairs rebuilt = StoredPairs.open(s, captions)) {
        assertEquals(1, rebuilt.captionCount(0));
        assertEquals("new 7", rebuilt.caption(7, 0));
      }
    }
  }

  @Test
  void open_withCorruptIndex_namesTheFileAndTheFix() throws IOException {
    Path captions = messyCaptions();
    Path index;
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      try (StoredPairs first = StoredPairs.open(s, captions)) {
        index = first.captionIndexFile();
      }
      try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
        ch.truncate(ch.size() - 8);
      }
      IOException cut = assertThrows(IOException.class, () -> StoredPairs.open(s, captions));
      assertTrue(
          cut.getMessage().contains(index.toString())
              && cut.getMessage().contains("corrupt")
              && cut.getMessage().contains("delete it"),
          cut.getMessage());

      Files.writeString(index, "garbage");
      IOException garbage = assertThrows(IOException.class, () -> StoredPairs.open(s, captions));
      assertTrue(
          garbage.getMessage().contains(index + " is not a caption index")
              && garbage.getMessage().contains("delete it"),
          garbage.getMessage());

      Files.delete(index);
      try (StoredPairs rebuilt = StoredPairs.open(s, captions)) {
        assertEquals("second for four", rebuilt.caption(4, 1));
      }
    }
  }

  @Test
  void caption_afterTheCaptionsFileChangedInPlace_namesBothFiles() throws IOException {
    Path captions = messyCaptions();
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER);
        StoredPairs pairs = StoredPairs.open(s, captions)) {
      Files.writeString(captions, "x".repeat((int) Files.size(captions)));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> pairs.caption(5, 0));
      assertTrue(
          e.getMessage().contains(captions.toString())
              && e.getMessage().contains(pairs.captionIndexFile().toString())
              && e.getMessage().contains("row 5"),
          e.getMessage());
    }
  }

  @Test
  void open_withUncaptionedImage_namesTheImage() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if (i != 8) {
        lines.add("{\"id\": \"im" + i + "\", \"caption\": \"c\"}");
      }
    }
    Path captions = Files.write(dir.resolve("c.jsonl"), lines);
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StoredPairs.open(s, captions));
      assertTrue(
          e.getMessage().contains("1 of the store's " + N + " images have no caption")
              && e.getMessage().contains("[im8]"),
          e.getMessage());
    }
  }

  @Test
  void open_withCaptionForUnknownId_namesTheId() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      lines.add("{\"id\": \"im" + i + "\", \"caption\": \"c\"}");
    }
    lines.add("{\"id\": \"ghost\", \"caption\": \"boo\"}");
    Path captions = Files.write(dir.resolve("c.jsonl"), lines);
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StoredPairs.open(s, captions));
      assertTrue(e.getMessage().contains("[ghost]"), e.getMessage());
    }
  }

  @Test
  void open_withBlankCaption_namesTheLineAndId() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      lines.add("{\"id\": \"im" + i + "\", \"caption\": \"" + (i == 3 ? "  " : "c") + "\"}");
    }
    Path captions = Files.write(dir.resolve("c.jsonl"), lines);
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StoredPairs.open(s, captions));
      assertTrue(
          e.getMessage().contains("line 4") && e.getMessage().contains("'im3' is blank"),
          e.getMessage());
    }
  }

  @Test
  void reads_afterClose_throw() throws IOException {
    Path captions = messyCaptions();
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      StoredPairs pairs = StoredPairs.open(s, captions);
      pairs.close();
      pairs.close();
      assertThrows(IllegalStateException.class, () -> pairs.caption(0, 0));
      assertEquals(N, s.size(), "the store is borrowed, not closed");
    }
  }
}
