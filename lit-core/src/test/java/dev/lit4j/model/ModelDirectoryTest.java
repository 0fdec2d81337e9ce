package dev.lit4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.loss.LossKind;
import dev.lit4j.spi.ImageTowerFormat;
import dev.lit4j.spi.TextTowerFormat;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import dev.lit4j.zeroshot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
  private static final ScoreCalibration CALIBRATION =
      new ScoreCalibration(LossKind.SIGMOID, 11.5, -9.25);

  @TempDir Path tmp;

  private static LitModel model(int dim, long seed) {
    return LitModel.of(
        ColourImageTower.seeded(dim, seed), new HashingTextTower(dim, seed), CALIBRATION);
  }

  private Path saved(Path dir) throws IOException {
    try (LitModel m = model(8, 3)) {
      m.save(dir);
    }
    return dir;
  }

  private static void editConfig(Path dir, java.util.function.Consumer<JsonObject> edit)
      throws IOException {
    Path file = dir.resolve("lit-model.json");
    JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    edit.accept(json);
    Files.writeString(file, json.toString());
  }

  @Test
  void saveThenLoad_roundTripsCalibrationIdentitiesAndEmbeddings() throws IOException {
    Path dir = tmp.resolve("model");
    BufferedImage image = ColourImageTower.solid(0x336699, 3);
    try (LitModel original = model(8, 3)) {
      original.save(dir);
      try (LitModel loaded = LitModel.load(dir)) {
        assertEquals(CALIBRATION, loaded.calibration());
        assertEquals(8, loaded.dimension());
        assertEquals(original.imageTower().identity(), loaded.imageTower().identity());
        assertEquals(original.textTower().identity(), loaded.textTower().identity());
        // Same weights, same arithmetic: embeddings must be bit-identical.
        assertEquals(original.imageTower().embed(image), loaded.imageTower().embed(image));
        assertEquals(original.textTower().embed("a dog"), loaded.textTower().embed("a dog"));
      }
    }
  }

  @Test
  void save_writesTheDocumentedJsonLayout() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("lit-model.json"))).getAsJsonObject();
    assertEquals(1, json.get("formatVersion").getAsInt());
    assertEquals(8, json.get("dimension").getAsInt());
    JsonObject calibration = json.getAsJsonObject("calibration");
    assertEquals("SIGMOID", calibration.get("loss").getAsString());
    assertEquals(11.5, calibration.get("temperature").getAsDouble());
    assertEquals(-9.25, calibration.get("bias").getAsDouble());
    JsonObject image = json.getAsJsonObject("imageTower");
    assertEquals(ColourImageTower.FORMAT_ID, image.get("format").getAsString());
    assertEquals("image-tower", image.get("path").getAsString());
    assertEquals("colour-image", image.getAsJsonObject("identity").get("name").getAsString());
    JsonObject text = json.getAsJsonObject("textTower");
    assertEquals(HashingTextTower.FORMAT_ID, text.get("format").getAsString());
    assertEquals("text-tower", text.get("path").getAsString());
    assertTrue(Files.isDirectory(dir.resolve("image-tower")));
    assertTrue(Files.isDirectory(dir.resolve("text-tower")));
  }

  @Test
  void saveThenLoad_roundTripsDeclaredPromptTemplates() throws IOException {
    Path dir = tmp.resolve("model");
    PromptTemplates templates = PromptTemplates.of("a drawing of a {}.", "{}");
    try (LitModel m =
        LitModel.of(
            ColourImageTower.seeded(8, 3), new HashingTextTower(8, 3), CALIBRATION, templates)) {
      m.save(dir);
    }
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("lit-model.json"))).getAsJsonObject();
    assertEquals(2, json.getAsJsonArray("templates").size());
    try (LitModel loaded = LitModel.load(dir)) {
      assertEquals(Optional.of(templates), loaded.promptTemplates());
    }
  }

  @Test
  void save_withoutTemplates_writesNoTemplatesFieldAndLoadsNone() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("lit-model.json"))).getAsJsonObject();
    // Directories saved before the field existed look exactly like this, so they still load.
    assertFalse(json.has("templates"), json.toString());
    try (LitModel loaded = LitModel.load(dir)) {
      assertEquals(Optional.empty(), loaded.promptTemplates());
    }
  }

  @Test
  void load_withTemplateLackingThePlaceholder_namesTheFieldAndTheTemplate() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(
        dir,
        j -> {
          JsonArray templates = new JsonArray();
          templates.add("a photo of a {}.");
          templates.add("a photo.");
          j.add("templates", templates);
        });
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'templates' is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains("'a photo.'"), e.getMessage());
  }

  @Test
  void load_withEmptyTemplates_namesTheFieldAndTheFix() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.add("templates", new JsonArray()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'templates' is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains("or remove the field"), e.getMessage());
  }

  @Test
  void save_overAnExistingModel_replacesItAndLeavesNoTemporaries() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    Files.writeString(dir.resolve("stale.txt"), "old");
    try (LitModel other = model(8, 99)) {
      other.save(dir);
      try (LitModel loaded = LitModel.load(dir)) {
        assertEquals(other.textTower().identity(), loaded.textTower().identity());
      }
    }
    assertFalse(Files.exists(dir.resolve("stale.txt")));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of(dir), siblings.toList());
    }
  }

  @Test
  void save_intoNonModelDirectory_refusesAndKeepsItsFiles() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("documents"));
    Files.writeString(dir.resolve("thesis.tex"), "precious");
    try (LitModel m = model(8, 3)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.save(dir));
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
    assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));
  }

  @Test
  void save_whenATowerFailsToWrite_keepsThePreviousModelAndCleansUp() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    String before = Files.readString(dir.resolve("lit-model.json"));
    try (LitModel m =
        LitModel.of(ColourImageTower.seeded(8, 1), new FailingTextTower(8), CALIBRATION)) {
      IOException e = assertThrows(IOException.class, () -> m.save(dir));
      assertEquals("disk full", e.getMessage());
    }
    assertEquals(before, Files.readString(dir.resolve("lit-model.json")));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of(dir), siblings.toList());
    }
  }

  @Test
  void save_withUnsavableTower_namesItsClass() {
    try (LitModel m =
        LitModel.of(ColourImageTower.seeded(8, 1), new UnsavableTextTower(8), CALIBRATION)) {
      Path dir = tmp.resolve("model");
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> m.save(dir));
      assertTrue(e.getMessage().contains(UnsavableTextTower.class.getName()), e.getMessage());
      assertFalse(Files.exists(dir));
    }
  }

  @Test
  void save_afterClose_throws() {
    LitModel m = model(8, 3);
    m.close();
    Path dir = tmp.resolve("model");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.save(dir));
    assertEquals("LitModel is closed", e.getMessage());
  }

  @Test
  void load_withoutConfigFile_throwsNoSuchFileNamingThePath() {
    Path dir = tmp.resolve("nothing-here");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> LitModel.load(dir));
    assertEquals(dir.resolve("lit-model.json").toString(), e.getFile());
  }

  @Test
  void load_withUnknownFormat_namesItTheKnownFormatsAndTheBackendModule() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.getAsJsonObject("textTower").addProperty("format", "onnx-text"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'onnx-text'"), e.getMessage());
    assertTrue(e.getMessage().contains(HashingTextTower.FORMAT_ID), e.getMessage());
    assertTrue(e.getMessage().contains("lit-pytorch"), e.getMessage());
  }

  @Test
  void load_withAnImageFormatNamedForTheTextTower_saysWhichKindOfTowerItHolds() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(
        dir, j -> j.getAsJsonObject("textTower").addProperty("format", ColourImageTower.FORMAT_ID));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(
        e.getMessage()
            .contains("'" + ColourImageTower.FORMAT_ID + "' holds image towers, not text"),
        e.getMessage());
    assertTrue(e.getMessage().contains(HashingTextTower.FORMAT_ID), e.getMessage());
  }

  @Test
  void load_withUnsupportedFormatVersion_namesIt() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.addProperty("formatVersion", 7));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("format version 7 is not supported"), e.getMessage());
  }

  @Test
  void load_withMissingField_namesIt() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.remove("dimension"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'dimension'"), e.getMessage());
  }

  @Test
  void load_withInvalidJson_throws() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    Files.writeString(dir.resolve("lit-model.json"), "{ not json");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
  }

  @Test
  void load_withTowerPathOutsideTheDirectory_throws() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.getAsJsonObject("imageTower").addProperty("path", "../elsewhere"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'../elsewhere'"), e.getMessage());
  }

  @Test
  void load_withDimensionDifferentFromTheTowers_namesBoth() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.addProperty("dimension", 9));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertEquals(
        "embedding dimensions differ: lit-model.json = 9, loaded image tower = 8", e.getMessage());
  }

  @Test
  void load_withChangedIdentity_namesExpectedAndLoadedAndClosesTheLoadedTowers()
      throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(
        dir,
        j ->
            j.getAsJsonObject("textTower")
                .getAsJsonObject("identity")
                .addProperty("checksum", "deadbeef"));
    RecordingImageFormat image = new RecordingImageFormat(new ColourImageTower.Format());
    RecordingTextFormat text = new RecordingTextFormat(new HashingTextTower.Format());
    TowerFormats formats = TowerFormats.of(List.of(image), List.of(text));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.load(dir, formats));
    assertTrue(e.getMessage().contains("checksum=deadbeef"), e.getMessage());
    assertTrue(e.getMessage().contains("checksum=seed-3-dim-8"), e.getMessage());
    ColourImageTower loadedImage = assertInstanceOf(ColourImageTower.class, image.loaded.get(0));
    HashingTextTower loadedText = assertInstanceOf(HashingTextTower.class, text.loaded.get(0));
    assertEquals(1, loadedImage.closeCalls());
    assertEquals(1, loadedText.closeCalls());
  }

  @Test
  void save_writesABindingOverBothIdentitiesDimensionAndCalibration() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("lit-model.json"))).getAsJsonObject();
    try (LitModel m = model(8, 3)) {
      String expected =
          ModelBinding.of(8, CALIBRATION, m.imageTower().identity(), m.textTower().identity());
      assertEquals(expected, json.get("binding").getAsString());
    }
  }

  /**
   * Issue 10, item 7: a tower swapped in its own files and in lit-model.json alike (here the image
   * tower's weights, with the identity copied into lit-model.json) used to load; the text tower was
   * never trained against it.
   */
  @Test
  void load_afterImageTowerChangedConsistentlyInBothFiles_refusesNamingBothBindings()
      throws IOException {
    Path dir = saved(tmp.resolve("model"));
    String recorded = binding(dir);
    ColourImageTower other = ColourImageTower.seeded(8, 4);
    other.saveTo(dir.resolve("image-tower"));
    TowerIdentity otherId = other.identity();
    editConfig(
        dir,
        j ->
            j.getAsJsonObject("imageTower")
                .getAsJsonObject("identity")
                .addProperty("checksum", otherId.checksum()));
    RecordingImageFormat image = new RecordingImageFormat(new ColourImageTower.Format());
    RecordingTextFormat text = new RecordingTextFormat(new HashingTextTower.Format());
    TowerFormats formats = TowerFormats.of(List.of(image), List.of(text));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.load(dir, formats));

    String recomputed;
    try (HashingTextTower t = new HashingTextTower(8, 3)) {
      recomputed = ModelBinding.of(8, CALIBRATION, otherId, t.identity());
    }
    assertTrue(e.getMessage().contains("records binding " + recorded), e.getMessage());
    assertTrue(e.getMessage().contains("give " + recomputed), e.getMessage());
    assertTrue(e.getMessage().contains(otherId.describe()), e.getMessage());
    assertTrue(e.getMessage().contains("Restore the model directory"), e.getMessage());
    assertEquals(1, ((ColourImageTower) image.loaded.get(0)).closeCalls());
    assertEquals(1, ((HashingTextTower) text.loaded.get(0)).closeCalls());
  }

  @Test
  void load_afterCalibrationEdited_refusesNamingTheLoadedCalibration() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.getAsJsonObject("calibration").addProperty("temperature", 50.0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("records binding " + binding(dir)), e.getMessage());
    assertTrue(e.getMessage().contains("temperature=50.0"), e.getMessage());
  }

  @Test
  void load_ofADirectorySavedBeforeTheBindingExisted_stillLoads() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.remove("binding"));
    try (LitModel loaded = LitModel.load(dir)) {
      assertEquals(CALIBRATION, loaded.calibration());
    }
  }

  @Test
  void load_withMalformedBinding_namesItAndTheExpectedForm() throws IOException {
    Path dir = saved(tmp.resolve("model"));
    editConfig(dir, j -> j.addProperty("binding", "sha256:XYZ"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitModel.load(dir));
    assertTrue(e.getMessage().contains("'sha256:XYZ'"), e.getMessage());
    assertTrue(e.getMessage().contains("64 lower-case hex digits"), e.getMessage());
  }

  private static String binding(Path dir) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve("lit-model.json")))
        .getAsJsonObject()
        .get("binding")
        .getAsString();
  }

  /** Delegates to a real image format and remembers the towers it loaded. */
  private static final class RecordingImageFormat implements ImageTowerFormat {
    private final ImageTowerFormat delegate;
    private final List<AutoCloseable> loaded = new ArrayList<>();

    RecordingImageFormat(ImageTowerFormat delegate) {
      this.delegate = delegate;
    }

    @Override
    public String formatId() {
      return delegate.formatId();
    }

    @Override
    public ImageTower loadImageTower(Path towerDirectory) throws IOException {
      ImageTower t = delegate.loadImageTower(towerDirectory);
      loaded.add(t);
      return t;
    }
  }

  /** Delegates to a real text format and remembers the towers it loaded. */
  private static final class RecordingTextFormat implements TextTowerFormat {
    private final TextTowerFormat delegate;
    private final List<AutoCloseable> loaded = new ArrayList<>();

    RecordingTextFormat(TextTowerFormat delegate) {
      this.delegate = delegate;
    }

    @Override
    public String formatId() {
      return delegate.formatId();
    }

    @Override
    public TextTower loadTextTower(Path towerDirectory) throws IOException {
      TextTower t = delegate.loadTextTower(towerDirectory);
      loaded.add(t);
      return t;
    }
  }

  /** A text tower that is not a {@link dev.lit4j.spi.SavableTower}. */
  private static class UnsavableTextTower implements TextTower {
    final HashingTextTower delegate;

    UnsavableTextTower(int dimension) {
      this.delegate = new HashingTextTower(dimension, 0);
    }

    @Override
    public int dimension() {
      return delegate.dimension();
    }

    @Override
    public TowerIdentity identity() {
      return delegate.identity();
    }

    @Override
    public Embedding embed(String text) {
      return delegate.embed(text);
    }

    @Override
    public EmbeddingMatrix embedAll(List<String> texts) {
      return delegate.embedAll(texts);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** A savable text tower whose files cannot be written. */
  private static final class FailingTextTower extends UnsavableTextTower
      implements dev.lit4j.spi.SavableTower {
    FailingTextTower(int dimension) {
      super(dimension);
    }

    @Override
    public String formatId() {
      return HashingTextTower.FORMAT_ID;
    }

    @Override
    public void saveTo(Path towerDirectory) throws IOException {
      Files.writeString(towerDirectory.resolve("partial"), "half");
      throw new IOException("disk full");
    }
  }
}
