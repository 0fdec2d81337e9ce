package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.embedding.Whitening;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.RandomEmbeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedEmbeddingsTest {
  private static final int[] COLOURS = {0xff0000, 0x00ff00, 0x0000ff, 0xffff00};

  @TempDir Path dir;
  private Path store;
  private final ColourImageTower tower = ColourImageTower.seeded(6, 3);

  /** A real store of four solid-colour PNGs; the manifest also carries one caption each. */
  @BeforeEach
  void buildStore() throws IOException {
    List<String> manifest = new ArrayList<>();
    for (int i = 0; i < COLOURS.length; i++) {
      Path png = dir.resolve("img-" + i + ".png");
      ImageIO.write(ColourImageTower.solid(COLOURS[i], 8), "png", png.toFile());
      manifest.add(
          "{\"path\": \"img-"
              + i
              + ".png\", \"id\": \"im"
              + i
              + "\", \"caption\": \"colour "
              + i
              + "\"}");
    }
    Path manifestFile = Files.write(dir.resolve("pairs.jsonl"), manifest);
    store = dir.resolve("store");
    EmbeddingStoreBuilder.builder(manifestFile, store, tower).build();
  }

  private Path captions(String... lines) throws IOException {
    return Files.write(dir.resolve("captions.jsonl"), List.of(lines));
  }

  @Test
  void fromStore_pairsEveryRowWithItsCaptions_andAManifestServesAsCaptionsFile() throws Exception {
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, dir.resolve("pairs.jsonl"));
      assertEquals(s.all(), p.images());
      for (int row = 0; row < s.size(); row++) {
        String id = s.ids().get(row);
        assertEquals(List.of("colour " + id.substring(2)), p.captions().get(row));
      }
    }
  }

  @Test
  void fromStore_accumulatesCaptionsOfRepeatedIds() throws Exception {
    Path file =
        captions(
            "{\"id\": \"im0\", \"caption\": \"a red square\"}",
            "{\"id\": \"im1\", \"captions\": [\"green\", \"a green square\"]}",
            "{\"id\": \"im2\", \"caption\": \"blue\"}",
            "",
            "{\"id\": \"im0\", \"caption\": \"red\"}",
            "{\"id\": \"im3\", \"caption\": \"yellow\"}");
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, file);
      assertEquals(List.of("a red square", "red"), p.captions().get(s.rowOf("im0")));
      assertEquals(List.of("green", "a green square"), p.captions().get(s.rowOf("im1")));
    }
  }

  @Test
  void fromStore_withCaptionForUnknownId_namesTheId() throws Exception {
    Path file =
        captions(
            "{\"id\": \"im0\", \"caption\": \"a\"}",
            "{\"id\": \"im1\", \"caption\": \"b\"}",
            "{\"id\": \"im2\", \"caption\": \"c\"}",
            "{\"id\": \"im3\", \"caption\": \"d\"}",
            "{\"id\": \"im9\", \"caption\": \"ghost\"}");
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PairedEmbeddings.fromStore(s, file));
      assertTrue(
          e.getMessage().contains("[im9]") && e.getMessage().contains("4 images"), e.getMessage());
    }
  }

  @Test
  void fromStore_withUncaptionedImage_namesTheImage() throws Exception {
    Path file =
        captions(
            "{\"id\": \"im0\", \"caption\": \"a\"}",
            "{\"id\": \"im1\", \"caption\": \"b\"}",
            "{\"id\": \"im3\", \"caption\": \"d\"}");
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PairedEmbeddings.fromStore(s, file));
      assertTrue(
          e.getMessage().contains("[im2]") && e.getMessage().contains("1 of the store's 4"),
          e.getMessage());
    }
  }

  @Test
  void fromStore_withBlankCaption_namesTheLine() throws Exception {
    Path file =
        captions("{\"id\": \"im0\", \"caption\": \"a\"}", "{\"id\": \"im1\", \"caption\": \"  \"}");
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PairedEmbeddings.fromStore(s, file));
      assertTrue(
          e.getMessage().contains("line 2") && e.getMessage().contains("'im1'"), e.getMessage());
    }
  }

  private static EmbeddingMatrix twoImages() {
    return EmbeddingMatrix.normalising(FloatMatrix.of(2, 2, new float[] {1, 0, 0, 1}));
  }

  @Test
  void constructor_withCountMismatch_namesBothCounts() {
    List<List<String>> one = List.of(List.of("a"));
    EmbeddingMatrix images = twoImages();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PairedEmbeddings(images, one));
    assertTrue(e.getMessage().contains("2 image embeddings, 1 caption lists"), e.getMessage());
  }

  @Test
  void constructor_withEmptyOrBlankCaption_namesTheImage() {
    EmbeddingMatrix images = twoImages();
    List<List<String>> empty = List.of(List.of("a"), List.of());
    IllegalArgumentException e1 =
        assertThrows(IllegalArgumentException.class, () -> new PairedEmbeddings(images, empty));
    assertTrue(e1.getMessage().contains("image 1 has no caption"), e1.getMessage());
    List<List<String>> blank = List.of(List.of("a", " "), List.of("b"));
    IllegalArgumentException e2 =
        assertThrows(IllegalArgumentException.class, () -> new PairedEmbeddings(images, blank));
    assertTrue(e2.getMessage().contains("caption 1 of image 0 is blank"), e2.getMessage());
  }

  /** Issue 10, item 8: the store's tower identity used to be dropped here. */
  @Test
  void fromStore_carriesTheStoresTowerIdentity() throws Exception {
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, dir.resolve("pairs.jsonl"));
      assertEquals(Optional.of(tower.identity()), p.imageIdentity());
    }
  }

  @Test
  void constructorWithoutIdentity_carriesNone() {
    PairedEmbeddings p = new PairedEmbeddings(twoImages(), List.of(List.of("a"), List.of("b")));
    assertEquals(Optional.empty(), p.imageIdentity());
  }

  @Test
  void withCaptions_keepsTheImagesAndTheirIdentity() throws Exception {
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, dir.resolve("pairs.jsonl"));
      List<List<String>> other =
          List.of(List.of("w"), List.of("x", "x2"), List.of("y"), List.of("z"));
      PairedEmbeddings q = p.withCaptions(other);
      assertEquals(p.images(), q.images());
      assertEquals(other, q.captions());
      assertEquals(p.imageIdentity(), q.imageIdentity());
    }
  }

  @Test
  void withImages_keepsTheCaptionsAndStatesTheGivenIdentity() {
    PairedEmbeddings p = new PairedEmbeddings(twoImages(), List.of(List.of("a"), List.of("b")));
    TowerIdentity derived = new TowerIdentity("derived", "c0ffee", "none");
    EmbeddingMatrix images =
        EmbeddingMatrix.normalising(FloatMatrix.of(2, 2, new float[] {1, 1, 1, -1}));
    PairedEmbeddings q = p.withImages(images, derived);
    assertEquals(images, q.images());
    assertEquals(p.captions(), q.captions());
    assertEquals(Optional.of(derived), q.imageIdentity());
  }

  @Test
  void whitened_ofTheInnerTowersPairs_carriesTheWhitenedIdentityAndItsArithmetic()
      throws Exception {
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity());
        WhitenedImageTower whitened =
            WhitenedImageTower.of(ColourImageTower.seeded(6, 3), Whitening.fit(s.all(), 2, 1e-3))) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, dir.resolve("pairs.jsonl"));
      PairedEmbeddings q = p.whitened(whitened);
      assertEquals(Optional.of(whitened.identity()), q.imageIdentity());
      assertEquals(whitened.whiten(s.all()), q.images());
      assertEquals(p.captions(), q.captions());
    }
  }

  @Test
  void whitened_ofAnotherTowersPairs_refusesNamingBothIdentities() throws Exception {
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity());
        WhitenedImageTower overOther =
            WhitenedImageTower.of(ColourImageTower.seeded(6, 4), Whitening.fit(s.all(), 2, 1e-3))) {
      PairedEmbeddings p = PairedEmbeddings.fromStore(s, dir.resolve("pairs.jsonl"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> p.whitened(overOther));
      assertTrue(e.getMessage().contains(tower.identity().describe()), e.getMessage());
      assertTrue(e.getMessage().contains(overOther.innerIdentity().describe()), e.getMessage());
      assertTrue(e.getMessage().contains("whiten embeddings of the inner tower"), e.getMessage());
    }
  }

  @Test
  void whitened_ofPairsWithoutIdentity_staysWithoutOne() {
    PairedEmbeddings p =
        new PairedEmbeddings(
            RandomEmbeddings.gaussian(5, 6, 1),
            List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"), List.of("e")));
    try (WhitenedImageTower whitened =
        WhitenedImageTower.of(ColourImageTower.seeded(6, 3), Whitening.fit(p.images(), 2, 1e-3))) {
      PairedEmbeddings q = p.whitened(whitened);
      assertEquals(Optional.empty(), q.imageIdentity());
      assertEquals(whitened.whiten(p.images()), q.images());
    }
  }
}
