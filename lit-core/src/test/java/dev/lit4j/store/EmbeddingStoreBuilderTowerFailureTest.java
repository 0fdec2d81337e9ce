package dev.lit4j.store;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImageFiles;
import java.awt.Color;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the builder treats a tower that throws: per-image rejects, or a failed, resumable build. */
class EmbeddingStoreBuilderTowerFailureTest {
  /** The colour {@link MeanColourTower#poisonedBy} turns into a NaN embedding. */
  private static final Color POISON = new Color(10, 200, 30);

  /**
   * Batches of 3: (good-0, poison-a, good-1), (missing, poison-b, good-2), (poison-c, poison-d,
   * poison-e), (good-3). The third batch fails image by image, but the tower still embeds good-2.
   */
  private static final List<String> IDS =
      List.of(
          "good-0",
          "poison-a",
          "good-1",
          "missing",
          "poison-b",
          "good-2",
          "poison-c",
          "poison-d",
          "poison-e",
          "good-3");

  @TempDir Path dir;

  @Test
  void build_towerFailingOnSomeImages_rejectsThemAndStoresTheRestInOrder() throws IOException {
    Path manifest = manifest(IDS);
    Path out = dir.resolve("store");
    MeanColourTower tower = MeanColourTower.poisonedBy(POISON);

    StoreBuildSummary summary = builder(manifest, out, tower, 3).build();

    assertEquals(10, summary.total());
    assertEquals(4, summary.embedded());
    assertEquals(6, summary.rejected());
    List<JsonObject> rejects = rejects(out);
    assertEquals(
        List.of("poison-a", "missing", "poison-b", "poison-c", "poison-d", "poison-e"),
        rejects.stream().map(r -> r.get("id").getAsString()).toList());
    for (JsonObject r : rejects) {
      if (r.get("id").getAsString().startsWith("poison")) {
        assertEquals(BatchEmbedder.TOWER_FAILED, r.get("reason").getAsString());
        String detail = r.get("detail").getAsString();
        assertTrue(detail.startsWith("java.lang.IllegalArgumentException: "), detail);
        assertTrue(detail.contains("NaN"), detail);
      } else {
        assertEquals("MISSING", r.get("reason").getAsString());
      }
    }
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      assertEquals(List.of("good-0", "good-1", "good-2", "good-3"), store.ids());
      for (int row = 0; row < store.size(); row++) {
        String id = store.ids().get(row);
        assertAllClose(expected(tower, id), store.get(row).toArray(), FLOAT32_RTOL, 0);
      }
    }
    String metadata = Files.readString(out.resolve("store.json"));
    assertTrue(metadata.contains("\"rejected\": 6"), metadata);
  }

  @Test
  void build_firstImageFailingWithBatchSizeOne_isRejectedAfterAProbe() throws IOException {
    Path manifest = manifest(List.of("poison-a", "good-0", "poison-b"));
    Path out = dir.resolve("store");
    List<Integer> batchSizes = new ArrayList<>();
    ScriptedTower tower =
        new ScriptedTower(
            (images, base) -> {
              batchSizes.add(images.size());
              return MeanColourTower.poisonedBy(POISON).embedAll(images);
            });

    StoreBuildSummary summary = builder(manifest, out, tower, 1).build();

    assertEquals(1, summary.embedded());
    assertEquals(2, summary.rejected());
    assertEquals(
        List.of("poison-a", "poison-b"),
        rejects(out).stream().map(r -> r.get("id").getAsString()).toList());
    // poison-a, the synthetic probe, good-0, poison-b, the probe with good-0: no image twice.
    assertEquals(List.of(1, 1, 1, 1, 1), batchSizes);
  }

  @Test
  void build_towerFailingOnEverything_failsWithoutRejectingAndResumesWithAWorkingTower()
      throws IOException {
    Path manifest = TestImages.mixedManifest(dir, 10);
    Path reference = dir.resolve("reference");
    builder(manifest, reference, MeanColourTower.healthy(), 3).build();
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder broken = builder(manifest, out, MeanColourTower.brokenFromCall(1), 3);

    IllegalStateException e = assertThrows(IllegalStateException.class, broken::build);

    assertTrue(e.getMessage().contains("'mean-colour-test'"), e.getMessage());
    assertTrue(e.getMessage().contains("a synthetic test image"), e.getMessage());
    assertTrue(e.getMessage().contains("the tower itself is failing"), e.getMessage());
    assertTrue(e.getMessage().contains("injected tower failure"), e.getMessage());
    assertTrue(e.getMessage().contains("resume"), e.getMessage());
    assertEquals(0, Files.size(out.resolve("rejects.jsonl")), "no image was blamed");
    assertEquals(0, StoreFiles.readProgress(out.resolve("progress.json")).entriesDone());

    builder(manifest, out, MeanColourTower.healthy(), 3).build();

    for (String name : List.of("embeddings.npy", "index.jsonl", "rejects.jsonl", "store.json")) {
      assertArrayEquals(
          Files.readAllBytes(reference.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
    }
  }

  @Test
  void build_towerBreakingMidway_keepsCommittedBatchesAndNamesTheProbe() throws IOException {
    Path manifest = manifest(IDS);
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.brokenFromCall(2), 3);

    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);

    assertTrue(e.getMessage().contains("an image it had embedded earlier"), e.getMessage());
    assertTrue(e.getMessage().contains("manifest lines 5-7"), e.getMessage());
    assertEquals(3, StoreFiles.readProgress(out.resolve("progress.json")).entriesDone());
  }

  @Test
  void build_towerThrowingAnError_doesNotCatchIt() throws IOException {
    Path manifest = manifest(List.of("good-0", "good-1"));
    Path out = dir.resolve("store");
    OutOfMemoryError oom = new OutOfMemoryError("injected: native heap");
    EmbeddingStoreBuilder b =
        builder(
            manifest,
            out,
            new ScriptedTower(
                (images, base) -> {
                  throw oom;
                }),
            2);

    OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, b::build);

    assertSame(oom, thrown);
    assertEquals(0, Files.size(out.resolve("rejects.jsonl")));
    assertEquals(2, builder(manifest, out, MeanColourTower.healthy(), 2).build().embedded());
  }

  @Test
  void build_wrongShapeFromASingleImageCall_failsAsATowerBug() throws IOException {
    Path manifest = manifest(List.of("good-0", "poison-a"));
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder b =
        builder(
            manifest,
            out,
            new ScriptedTower(
                (images, base) -> {
                  if (images.size() > 1) {
                    throw new IllegalArgumentException("batch rejected");
                  }
                  return base.embedAll(List.of(images.get(0), images.get(0)));
                }),
            2);

    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);

    assertTrue(e.getMessage().contains("returned 2 x 6 embeddings for 1 images"), e.getMessage());
    assertEquals(0, Files.size(out.resolve("rejects.jsonl")));
  }

  @Test
  void build_interruptedWhileTheTowerFails_stopsInsteadOfRejecting() throws IOException {
    Path manifest = manifest(List.of("good-0", "good-1"));
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder b =
        builder(
            manifest,
            out,
            new ScriptedTower(
                (images, base) -> {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("engine call interrupted");
                }),
            2);

    InterruptedIOException e = assertThrows(InterruptedIOException.class, b::build);

    assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
    assertTrue(e.getMessage().contains("resume"), e.getMessage());
    assertEquals(0, Files.size(out.resolve("rejects.jsonl")));
  }

  @Test
  void describe_longTowerMessage_isCutWithACount() {
    String message = "x".repeat(3000);

    String detail = BatchEmbedder.describe(new IllegalStateException(message));

    String prefix = "java.lang.IllegalStateException: ";
    int cut = prefix.length() + message.length() - BatchEmbedder.MAX_DETAIL_CHARS;
    assertEquals(
        (prefix + message).substring(0, BatchEmbedder.MAX_DETAIL_CHARS)
            + "… ("
            + cut
            + " more characters)",
        detail);
    assertFalse(BatchEmbedder.describe(new IllegalStateException("short")).contains("…"));
  }

  private static EmbeddingStoreBuilder builder(
      Path manifest, Path out, dev.lit4j.model.ImageTower tower, int batchSize) {
    return EmbeddingStoreBuilder.builder(manifest, out, tower)
        .batchSize(batchSize)
        .decodeThreads(2);
  }

  /**
   * Writes a PNG per id (ids starting with {@code poison} in {@link #POISON}, others in distinct
   * colours and sizes; {@code missing} gets no file) and a manifest listing them in order.
   */
  private Path manifest(List<String> ids) throws IOException {
    List<String> lines = new ArrayList<>(List.of("path,id"));
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Color colour =
          id.startsWith("poison") ? POISON : Color.getHSBColor(i / (float) ids.size(), 0.8f, 0.9f);
      if (!id.equals("missing")) {
        TestImages.image(dir.resolve("img/" + id + ".png"), 5 + i, 4 + i % 3, colour, "png");
      }
      lines.add("img/" + id + ".png," + id);
    }
    return Files.write(dir.resolve("manifest.csv"), lines, StandardCharsets.UTF_8);
  }

  private float[] expected(MeanColourTower tower, String id) throws IOException {
    EmbeddingMatrix one =
        tower.embedAll(
            List.of(
                ImageFiles.read(
                    dir.resolve("img/" + id + ".png"),
                    EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE)));
    return one.matrix().row(0);
  }

  private static List<JsonObject> rejects(Path store) throws IOException {
    return Files.readAllLines(store.resolve("rejects.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }
}
