package dev.lit4j.store;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.testing.BlankPng;
import java.awt.Color;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreBuilderTest {
  private static final int GOOD = 10;
  private static final int BAD = 3;
  private static final List<String> STORE_FILES =
      List.of("embeddings.npy", "index.jsonl", "rejects.jsonl", "store.json");

  /**
   * float16 keeps 11 significant bits: a unit-vector component is off by at most 2^-12 ≈ 2.4e-4
   * before re-normalisation; 1e-3 leaves room for the re-normalisation of the whole row.
   */
  private static final double FLOAT16_ATOL = 1e-3;

  @TempDir Path dir;

  private EmbeddingStoreBuilder builder(Path manifest, Path out, MeanColourTower tower) {
    return EmbeddingStoreBuilder.builder(manifest, out, tower).batchSize(3).decodeThreads(2);
  }

  @Test
  void build_roundTrip_storesEveryReadableImageInManifestOrder() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    MeanColourTower tower = MeanColourTower.healthy();

    StoreBuildSummary summary = builder(manifest, out, tower).build();

    assertEquals(GOOD + BAD, summary.total());
    assertEquals(GOOD, summary.embedded());
    assertEquals(BAD, summary.rejected());
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      assertEquals(GOOD, store.size());
      assertEquals(MeanColourTower.DIMENSION, store.dimension());
      for (int i = 0; i < GOOD; i++) {
        assertEquals("good-" + i, store.ids().get(i));
        assertEquals(i, store.rowOf("good-" + i));
        float[] expected = expectedEmbedding(tower, dir.resolve(pathOf(i)));
        assertAllClose(expected, store.get(i).toArray(), FLOAT32_RTOL, 0);
        assertAllClose(expected, store.all().matrix().row(i), FLOAT32_RTOL, 0);
      }
    }
    assertEquals(
        List.of(".lock", "embeddings.npy", "index.jsonl", "rejects.jsonl", "store.json"),
        listing(out));
  }

  @Test
  void embeddingStoreBuild_inOneCall_givesTheBuildersStoreOpen() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    MeanColourTower tower = MeanColourTower.healthy();
    builder(manifest, dir.resolve("by-builder"), tower).build();

    try (EmbeddingStore viaBuilder =
            EmbeddingStore.open(dir.resolve("by-builder"), MeanColourTower.IDENTITY);
        EmbeddingStore oneCall = EmbeddingStore.build(manifest, dir.resolve("one-call"), tower)) {
      assertEquals(GOOD, oneCall.size());
      assertEquals(viaBuilder.ids(), oneCall.ids());
      assertEquals(viaBuilder.all(), oneCall.all());
    }
    assertEquals(BAD, Files.readAllLines(dir.resolve("one-call").resolve("rejects.jsonl")).size());
  }

  @Test
  void build_float16_storesHalfPrecisionCloseToTheTower() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store16");
    MeanColourTower tower = MeanColourTower.healthy();

    builder(manifest, out, tower).dtype(StoreDtype.FLOAT16).build();

    assertEquals(
        128 + GOOD * MeanColourTower.DIMENSION * 2L, Files.size(out.resolve("embeddings.npy")));
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      assertEquals(StoreDtype.FLOAT16, store.dtype());
      for (int i = 0; i < GOOD; i++) {
        float[] expected = expectedEmbedding(tower, dir.resolve(pathOf(i)));
        assertAllClose(expected, store.get(i).toArray(), 0, FLOAT16_ATOL);
      }
    }
  }

  @Test
  void build_recordsRejectsWithTheirReasons() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");

    builder(manifest, out, MeanColourTower.healthy()).build();

    List<String> lines = Files.readAllLines(out.resolve("rejects.jsonl"));
    assertEquals(BAD, lines.size());
    JsonObject truncated = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    JsonObject notes = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    JsonObject missing = JsonParser.parseString(lines.get(2)).getAsJsonObject();
    assertEquals("truncated", truncated.get("id").getAsString());
    assertEquals("CORRUPT", truncated.get("reason").getAsString());
    assertEquals(5, truncated.get("line").getAsInt());
    assertEquals("img/notes.jpg", notes.get("path").getAsString());
    assertEquals("UNKNOWN_FORMAT", notes.get("reason").getAsString());
    assertEquals("missing", missing.get("id").getAsString());
    assertEquals("MISSING", missing.get("reason").getAsString());
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> store.rowOf("truncated"));
      assertTrue(e.getMessage().contains("'truncated'"), e.getMessage());
    }
  }

  @Test
  void build_afterTowerCrash_resumesToByteIdenticalFiles() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path reference = dir.resolve("reference");
    builder(manifest, reference, MeanColourTower.healthy()).build();
    Path resumed = dir.resolve("resumed");

    IllegalStateException crash =
        assertThrows(
            IllegalStateException.class,
            () -> builder(manifest, resumed, MeanColourTower.brokenFromCall(3)).build());
    assertTrue(crash.getMessage().contains("injected"), crash.getMessage());
    assertTrue(Files.exists(resumed.resolve("progress.json")));
    assertThrows(
        IllegalStateException.class,
        () -> EmbeddingStore.open(resumed, MeanColourTower.IDENTITY),
        "a crashed store must not open");
    // A crash between writing data and committing it leaves torn bytes past the commit point.
    appendGarbage(resumed.resolve("embeddings.npy.partial"));
    appendGarbage(resumed.resolve("index.jsonl.partial"));
    appendGarbage(resumed.resolve("rejects.jsonl"));
    MeanColourTower second = MeanColourTower.healthy();
    RecordingListener listener = new RecordingListener();

    StoreBuildSummary summary = builder(manifest, resumed, second).progress(listener).build();

    assertEquals(GOOD, summary.embedded());
    assertEquals(2, listener.finished.get(0).doneAtStart() / 3, "resumed after two batches");
    assertEquals(GOOD + BAD, listener.finished.get(0).done());
    assertTrue(second.calls() < 5, "the resumed run embedded only the rest: " + second.calls());
    assertSameFiles(reference, resumed);
  }

  @Test
  void build_interrupted_keepsTheFlagAndResumesToByteIdenticalFiles() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path reference = dir.resolve("reference");
    builder(manifest, reference, MeanColourTower.healthy()).dtype(StoreDtype.FLOAT16).build();
    Path resumed = dir.resolve("resumed");
    EmbeddingStoreBuilder interrupted =
        builder(manifest, resumed, MeanColourTower.interruptingOnCall(2)).dtype(StoreDtype.FLOAT16);

    InterruptedIOException e = assertThrows(InterruptedIOException.class, interrupted::build);

    assertTrue(Thread.interrupted(), "the interrupt flag is restored (and cleared here)");
    assertTrue(e.getMessage().contains("resume"), e.getMessage());
    builder(manifest, resumed, MeanColourTower.healthy()).dtype(StoreDtype.FLOAT16).build();
    assertSameFiles(reference, resumed);
  }

  @Test
  void build_afterCrashDuringFinalisation_completesToByteIdenticalFiles() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path reference = dir.resolve("reference");
    builder(manifest, reference, MeanColourTower.healthy()).build();
    Path crashed = dir.resolve("crashed");
    builder(manifest, crashed, MeanColourTower.healthy()).build();
    // Recreate the state just after the partial files were renamed and before store.json was
    // marked complete: all entries committed, final names present, store.json incomplete.
    BuildProgress committed =
        new BuildProgress(
            Manifest.read(manifest).sha256(),
            MeanColourTower.IDENTITY,
            StoreDtype.FLOAT32,
            MeanColourTower.DIMENSION,
            GOOD + BAD,
            GOOD,
            Files.size(crashed.resolve("index.jsonl")),
            Files.size(crashed.resolve("rejects.jsonl")));
    Files.write(crashed.resolve("progress.json"), StoreFiles.toJson(committed));
    Path json = crashed.resolve("store.json");
    Files.writeString(
        json, Files.readString(json).replace("\"completed\": true", "\"completed\": false"));
    assertThrows(
        IllegalStateException.class, () -> EmbeddingStore.open(crashed, MeanColourTower.IDENTITY));
    MeanColourTower tower = MeanColourTower.healthy();

    builder(manifest, crashed, tower).build();

    assertEquals(0, tower.calls(), "nothing left to embed");
    assertSameFiles(reference, crashed);
  }

  @Test
  void build_onACompleteStore_doesNothing() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    builder(manifest, out, MeanColourTower.healthy()).build();
    byte[] before = Files.readAllBytes(out.resolve("embeddings.npy"));
    MeanColourTower tower = MeanColourTower.healthy();

    StoreBuildSummary again = builder(manifest, out, tower).build();

    assertEquals(0, tower.calls());
    assertEquals(GOOD, again.embedded());
    assertEquals(BAD, again.rejected());
    assertArrayEquals(before, Files.readAllBytes(out.resolve("embeddings.npy")));
  }

  @Test
  void build_whenEveryImageFails_throwsPointingAtRejects() throws IOException {
    TestImages.text(dir.resolve("a.jpg"));
    Path manifest = Files.writeString(dir.resolve("bad.csv"), "path\na.jpg\nmissing.png\n");
    Path out = dir.resolve("store");
    EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.healthy());

    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);

    assertTrue(e.getMessage().contains("none of the 2 images"), e.getMessage());
    assertTrue(e.getMessage().contains("rejects.jsonl"), e.getMessage());
    assertEquals(2, Files.readAllLines(out.resolve("rejects.jsonl")).size());
    assertThrows(
        IllegalStateException.class, () -> EmbeddingStore.open(out, MeanColourTower.IDENTITY));
  }

  @Test
  void build_resumingWithAnotherTower_throwsNamingBoth() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    assertThrows(
        IllegalStateException.class,
        () -> builder(manifest, out, MeanColourTower.brokenFromCall(2)).build());
    TowerIdentity other = new TowerIdentity("other-tower", "sha256:ffff", "none");
    EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.withIdentity(other));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

    assertTrue(e.getMessage().contains("'mean-colour-test'"), e.getMessage());
    assertTrue(e.getMessage().contains("'other-tower'"), e.getMessage());
  }

  @Test
  void build_onACompleteStoreWithAChangedManifest_throws() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    Path out = dir.resolve("store");
    builder(manifest, out, MeanColourTower.healthy()).build();
    Files.writeString(manifest, "img/good-0.png,extra\n", StandardOpenOption.APPEND);
    EmbeddingStoreBuilder b = builder(manifest, out, MeanColourTower.healthy());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
  }

  @Test
  void build_intoADirectoryWithOtherFiles_throws() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, 2);
    EmbeddingStoreBuilder b = builder(manifest, dir, MeanColourTower.healthy());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

    assertTrue(e.getMessage().contains("manifest.csv"), e.getMessage());
  }

  @Test
  void build_withDuplicateIds_throwsNamingTheLines() throws IOException {
    TestImages.image(dir.resolve("a.png"), 4, 4, java.awt.Color.BLUE, "png");
    Path manifest =
        Files.writeString(dir.resolve("dup.csv"), "path,id\na.png,x\na.png,y\na.png,x\n");
    EmbeddingStoreBuilder b = builder(manifest, dir.resolve("store"), MeanColourTower.healthy());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);

    assertTrue(e.getMessage().contains("'x' on lines 2 and 4"), e.getMessage());
  }

  @Test
  void build_withA30000x30000Png_rejectsItAsTooLargeAndStoresTheOthers() throws IOException {
    // A valid 3.5 MB RGBA PNG that cost ~40 s of CPU to decode, even subsampled, and was stored.
    Path img = Files.createDirectories(dir.resolve("img"));
    TestImages.image(img.resolve("a.png"), 8, 6, Color.RED, "png");
    BlankPng.write(img.resolve("bomb.png"), 30000, 30000, BlankPng.Colour.RGBA_8_BIT);
    TestImages.image(img.resolve("b.jpg"), 9, 7, Color.BLUE, "jpg");
    Path manifest =
        Files.write(
            dir.resolve("manifest.csv"),
            List.of("path,id", "img/a.png,a", "img/bomb.png,bomb", "img/b.jpg,b"));
    Path out = dir.resolve("store");

    StoreBuildSummary summary = builder(manifest, out, MeanColourTower.healthy()).build();

    assertEquals(2, summary.embedded());
    assertEquals(1, summary.rejected());
    List<String> lines = Files.readAllLines(out.resolve("rejects.jsonl"));
    assertEquals(1, lines.size());
    JsonObject bomb = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("bomb", bomb.get("id").getAsString());
    assertEquals("TOO_LARGE", bomb.get("reason").getAsString());
    String detail = bomb.get("detail").getAsString();
    assertTrue(detail.contains("30000 x 30000 = 900,000,000 pixels"), detail);
    assertTrue(detail.contains("limit of 178,956,970 pixels"), detail);
    assertTrue(detail.contains("EmbeddingStoreBuilder.maxPixels"), detail);
    try (EmbeddingStore store = EmbeddingStore.open(out, MeanColourTower.IDENTITY)) {
      assertEquals(List.of("a", "b"), store.ids());
    }
  }

  @Test
  void build_withAPixelLimit_rejectsOnlyTheImagesOverIt() throws IOException {
    Path img = Files.createDirectories(dir.resolve("img"));
    TestImages.image(img.resolve("small.png"), 10, 10, Color.RED, "png");
    TestImages.image(img.resolve("large.png"), 10, 11, Color.BLUE, "png");
    Path manifest =
        Files.write(
            dir.resolve("manifest.csv"),
            List.of("path,id", "img/small.png,small", "img/large.png,large"));
    Path out = dir.resolve("store");

    builder(manifest, out, MeanColourTower.healthy()).maxPixels(100).build();

    List<String> lines = Files.readAllLines(out.resolve("rejects.jsonl"));
    assertEquals(1, lines.size());
    JsonObject large = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("large", large.get("id").getAsString());
    assertEquals("TOO_LARGE", large.get("reason").getAsString());
    assertTrue(
        large
            .get("detail")
            .getAsString()
            .contains("10 x 11 = 110 pixels, more than the limit of 100"),
        large.get("detail").getAsString());
  }

  @Test
  void maxPixels_belowOne_throwsNamingTheValue() {
    EmbeddingStoreBuilder b =
        EmbeddingStoreBuilder.builder(dir.resolve("m.csv"), dir, MeanColourTower.healthy());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.maxPixels(0));

    assertTrue(e.getMessage().contains("maxPixels must be at least 1, got 0"), e.getMessage());
  }

  @Test
  void batchSize_belowOne_throws() {
    EmbeddingStoreBuilder b =
        EmbeddingStoreBuilder.builder(dir.resolve("m.csv"), dir, MeanColourTower.healthy());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.batchSize(0));

    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  private static float[] expectedEmbedding(MeanColourTower tower, Path file) throws IOException {
    return tower
        .embed(ImageFiles.read(file, EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE))
        .toArray();
  }

  private static String pathOf(int i) {
    return "img/good-" + i + "." + new String[] {"png", "jpg", "gif", "bmp"}[i % 4];
  }

  private static void appendGarbage(Path file) throws IOException {
    Files.write(
        file, "garbage, torn write".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    assertEquals(listing(expected), listing(actual));
    for (String name : STORE_FILES) {
      assertArrayEquals(
          Files.readAllBytes(expected.resolve(name)),
          Files.readAllBytes(actual.resolve(name)),
          name);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static final class RecordingListener implements ProgressListener {
    final List<Progress> updates = new ArrayList<>();
    final List<Progress> finished = new ArrayList<>();

    @Override
    public void onUpdate(Progress progress) {
      updates.add(progress);
    }

    @Override
    public void onFinish(Progress progress) {
      finished.add(progress);
    }
  }

  @Test
  void build_reportsProgressPerBatchAndOnce_atTheEnd() throws IOException {
    Path manifest = TestImages.mixedManifest(dir, GOOD);
    RecordingListener listener = new RecordingListener();

    builder(manifest, dir.resolve("store"), MeanColourTower.healthy()).progress(listener).build();

    assertEquals(
        List.of(3L, 6L, 9L, 12L, 13L), listener.updates.stream().map(Progress::done).toList());
    assertEquals(1, listener.finished.size());
    assertFalse(listener.finished.get(0).unit().isBlank());
  }
}
