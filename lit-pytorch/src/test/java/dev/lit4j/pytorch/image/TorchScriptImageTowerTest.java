package dev.lit4j.pytorch.image;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImagePreprocessing;
import dev.lit4j.image.TensorLayout;
import dev.lit4j.image.ValueRange;
import dev.lit4j.model.ImageTower;
import dev.lit4j.spi.ImageTowerFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript towers end to end against outputs that torch 1.13 computed for the same images
 * ({@code src/test/scripts/make_torchscript_fixture.py}).
 */
class TorchScriptImageTowerTest {

  /** float32 convolutions in libtorch 2.7.1 vs torch 1.13 on 32×32 inputs: a few ulps. */
  private static final double RTOL = 1e-5;

  /** Absolute floor for components near zero after normalisation. */
  private static final double ATOL = 1e-6;

  private static final String DIR = "/dev/lit4j/pytorch/image/torchscript/";

  @TempDir Path tmp;

  private static final ImagePreprocessing PREPROCESSING =
      ImagePreprocessing.squash(32)
          .withNormalisation(
              ValueRange.UNIT, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

  /** Image k of the fixture script: value(c, y, x) = (x·7 + y·13 + c·50 + k·31) mod 256. */
  private static BufferedImage image(int k) {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          rgb = rgb << 8 | (x * 7 + y * 13 + c * 50 + k * 31) % 256;
        }
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  private static List<BufferedImage> images() {
    return List.of(image(0), image(1), image(2));
  }

  private Path fixture(String name) throws IOException {
    Path p = tmp.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(DIR + name)) {
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  private JsonObject expected() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(DIR + "expected.json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonObject();
    }
  }

  /** The expected rows, L2-normalised in float64. */
  private static double[] normalisedRows(JsonArray rows) {
    List<Double> out = new ArrayList<>();
    for (var r : rows) {
      JsonArray row = r.getAsJsonArray();
      double norm = 0;
      for (var v : row) {
        norm += v.getAsDouble() * v.getAsDouble();
      }
      for (var v : row) {
        out.add(v.getAsDouble() / Math.sqrt(norm));
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] toDoubles(EmbeddingMatrix m) {
    float[] f = m.matrix().toArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private JsonObject outputs(String model) throws IOException {
    return expected().getAsJsonObject("models").getAsJsonObject(model).getAsJsonObject("outputs");
  }

  @Test
  void tupleOutputByIndex_matchesTorch() throws IOException {
    JsonObject out = outputs("tiny_tuple");
    try (TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            fixture("tiny_tuple.pt"), PREPROCESSING, ModelOutput.index(1), FeaturePooling.NONE)) {
      assertEquals(16, tower.dimension());
      EmbeddingMatrix e = tower.embedAll(images());
      assertAllClose(
          normalisedRows(out.getAsJsonObject("1").getAsJsonArray("values")),
          toDoubles(e),
          RTOL,
          ATOL);
    }
  }

  @Test
  void fourDimensionalOutput_isGlobalAveragePooled() throws IOException {
    JsonObject out = outputs("tiny_tuple");
    try (TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            fixture("tiny_tuple.pt"),
            PREPROCESSING,
            ModelOutput.index(0),
            FeaturePooling.GLOBAL_AVERAGE)) {
      assertEquals(8, tower.dimension());
      EmbeddingMatrix e = tower.embedAll(images());
      assertAllClose(
          normalisedRows(out.getAsJsonObject("0").getAsJsonArray("globalAverage")),
          toDoubles(e),
          RTOL,
          ATOL);
      // One image at a time gives the same rows as the batch.
      assertAllClose(
          toDoubles(e.slice(1, 2)),
          toDoubles(EmbeddingMatrix.of(List.of(tower.embed(image(1))))),
          RTOL,
          ATOL);
    }
  }

  @Test
  void dictOutputByKey_matchesTorch() throws IOException {
    JsonObject out = outputs("tiny_dict");
    Path pt = fixture("tiny_dict.pt");
    try (TorchScriptImageTower logits =
            TorchScriptImageTower.load(
                pt, PREPROCESSING, ModelOutput.key("logits"), FeaturePooling.NONE);
        TorchScriptImageTower features =
            TorchScriptImageTower.load(
                pt, PREPROCESSING, ModelOutput.key("features"), FeaturePooling.GLOBAL_AVERAGE)) {
      assertAllClose(
          normalisedRows(out.getAsJsonObject("logits").getAsJsonArray("values")),
          toDoubles(logits.embedAll(images())),
          RTOL,
          ATOL);
      assertAllClose(
          normalisedRows(out.getAsJsonObject("features").getAsJsonArray("globalAverage")),
          toDoubles(features.embedAll(images())),
          RTOL,
          ATOL);
    }
  }

  @Test
  void load_missingFile_namesThePath() {
    Path missing = tmp.resolve("nope.pt");
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () ->
                TorchScriptImageTower.load(
                    missing, PREPROCESSING, ModelOutput.only(), FeaturePooling.NONE));
    assertTrue(e.getMessage().contains("nope.pt"), e.getMessage());
  }

  @Test
  void load_fileThatIsNotTorchScript_throwsNamingIt() throws IOException {
    Path junk = Files.writeString(tmp.resolve("junk.pt"), "not a model");
    String e = loadRejection(junk, PREPROCESSING, ModelOutput.only(), FeaturePooling.NONE);
    assertTrue(e.contains("junk.pt"), e);
  }

  @Test
  void load_outputIndexOutOfRange_namesIndexAndCount() throws IOException {
    Path pt = fixture("tiny_tuple.pt");
    String e = loadRejection(pt, PREPROCESSING, ModelOutput.index(5), FeaturePooling.NONE);
    assertTrue(e.contains("output index 5"), e);
    assertTrue(e.contains("returns 2 outputs"), e);
  }

  @Test
  void load_singleOutputOfTupleModel_asksForAnIndex() throws IOException {
    Path pt = fixture("tiny_tuple.pt");
    String e = loadRejection(pt, PREPROCESSING, ModelOutput.only(), FeaturePooling.NONE);
    assertTrue(e.contains("ModelOutput.index"), e);
  }

  @Test
  void load_unknownKey_listsTheModelsKeys() throws IOException {
    Path pt = fixture("tiny_dict.pt");
    String e = loadRejection(pt, PREPROCESSING, ModelOutput.key("embedding"), FeaturePooling.NONE);
    assertTrue(e.contains("'embedding'"), e);
    assertTrue(e.contains("'logits'"), e);
  }

  @Test
  void load_poolingThatDoesNotFitTheOutput_saysWhichToUse() throws IOException {
    Path pt = fixture("tiny_tuple.pt");
    String unpooled4d = loadRejection(pt, PREPROCESSING, ModelOutput.index(0), FeaturePooling.NONE);
    assertTrue(unpooled4d.contains("GLOBAL_AVERAGE"), unpooled4d);
    String pooled2d =
        loadRejection(pt, PREPROCESSING, ModelOutput.index(1), FeaturePooling.GLOBAL_AVERAGE);
    assertTrue(pooled2d.contains("(1, 16)"), pooled2d);
    assertTrue(pooled2d.contains("FeaturePooling.NONE"), pooled2d);
  }

  @Test
  void load_inputTheModelRejects_namesTheShape() throws IOException {
    Path pt = fixture("tiny_tuple.pt");
    ImagePreprocessing channelsLast = PREPROCESSING.withLayout(TensorLayout.NHWC);
    String e = loadRejection(pt, channelsLast, ModelOutput.index(1), FeaturePooling.NONE);
    assertTrue(e.contains("(1, 32, 32, 3)"), e);
  }

  @Test
  void saveThenLoadThroughServiceLoader_givesTheSameEmbeddings() throws IOException {
    Path towerDir = Files.createDirectory(tmp.resolve("tower"));
    EmbeddingMatrix before;
    try (TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            fixture("tiny_tuple.pt"),
            PREPROCESSING,
            ModelOutput.index(0),
            FeaturePooling.GLOBAL_AVERAGE)) {
      before = tower.embedAll(images());
      tower.saveTo(towerDir);
      assertEquals(TorchScriptImageTowerFormat.FORMAT_ID, tower.formatId());
    }
    ImageTowerFormat format = format(TorchScriptImageTowerFormat.FORMAT_ID);
    try (ImageTower loaded = format.loadImageTower(towerDir)) {
      assertEquals(before, loaded.embedAll(images()));
      assertEquals(
          PREPROCESSING.describe() + ";output=index:0;pool=GLOBAL_AVERAGE;l2",
          loaded.identity().preprocessing());
    }
    Files.write(towerDir.resolve(TorchScriptImageTowerFormat.MODEL_FILE), new byte[] {1, 2, 3});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> format.loadImageTower(towerDir));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
  }

  /** Loads {@code pt} expecting the load to be rejected; returns the exception's message. */
  private static String loadRejection(
      Path pt, ImagePreprocessing preprocessing, ModelOutput output, FeaturePooling pooling) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TorchScriptImageTower.load(pt, preprocessing, output, pooling));
    return e.getMessage();
  }

  static ImageTowerFormat format(String id) {
    for (ImageTowerFormat f : ServiceLoader.load(ImageTowerFormat.class)) {
      if (f.formatId().equals(id)) {
        return f;
      }
    }
    throw new AssertionError("no ImageTowerFormat '" + id + "' registered");
  }

  @Test
  void close_isIdempotentAndLaterUseThrows() throws IOException {
    TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            fixture("tiny_tuple.pt"), PREPROCESSING, ModelOutput.index(1), FeaturePooling.NONE);
    tower.close();
    tower.close();
    List<BufferedImage> imgs = images();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tower.embedAll(imgs));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void parameters_areLoadedFrozenAndUnchangedByEmbedding() throws IOException {
    try (TorchScriptImageTower tower =
        TorchScriptImageTower.load(
            fixture("tiny_tuple.pt"), PREPROCESSING, ModelOutput.index(1), FeaturePooling.NONE)) {
      Map<String, float[]> before = tower.parameterSnapshot();
      // conv1 (weight, bias), bn1 (weight, bias), conv2 (weight, bias), head (weight, bias)
      assertEquals(8, before.size(), "parameters: " + before.keySet());
      assertFalse(tower.anyParameterRequiresGradient());
      tower.embedAll(images());
      Map<String, float[]> after = tower.parameterSnapshot();
      before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }
  }
}
