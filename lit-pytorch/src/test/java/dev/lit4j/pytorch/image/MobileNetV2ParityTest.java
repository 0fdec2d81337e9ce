package dev.lit4j.pytorch.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImageTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The imported MobileNetV2 against TF.js 4.22.0 itself (CPU backend) on four real images: the
 * reference values come from {@code src/test/scripts/tfjs-reference/reference.js}, run on the same
 * 224×224 PNGs, so both sides see bit-identical input tensors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MobileNetV2ParityTest {

  /**
   * Per image and layer, {@code max_i |java_i − tfjs_i| / max_i |tfjs_i| ≤ 1e-4}: float32 with a
   * different summation order (PyTorch vs TF.js kernels) and batch norm folded into the kernels in
   * float64, through up to 160 layers; measured 3e-8 to 2e-6 (TF.js 4.22.0, DJL 0.36.0, libtorch
   * 2.7.1).
   */
  private static final double PARITY_TOLERANCE = 1e-4;

  private static final String DIR = "/dev/lit4j/pytorch/image/parity/";

  private MobileNetV2Tower tower;
  private JsonObject reference;
  private List<BufferedImage> images;

  @BeforeAll
  void load() throws IOException {
    tower = MobileNetV2Tower.load();
    try (InputStream in = getClass().getResourceAsStream(DIR + "tfjs-reference.json")) {
      reference =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject();
    }
    images = new ArrayList<>();
    for (var name : reference.getAsJsonArray("images")) {
      try (InputStream in = getClass().getResourceAsStream(DIR + name.getAsString())) {
        images.add(ImageIO.read(in));
      }
    }
  }

  @AfterAll
  void close() {
    tower.close();
  }

  @Test
  void referenceWasComputedFromTheShippedWeights() {
    assertEquals(reference.get("modelSha256").getAsString(), tower.identity().checksum());
    assertEquals(2_619_461, tower.model().parameterCount());
  }

  @Test
  void everyReferenceLayer_matchesTfjs() {
    float[] batch = new float[images.size() * 3 * 224 * 224];
    for (int i = 0; i < images.size(); i++) {
      ImageTensor t = MobileNetV2Tower.preprocessing().apply(images.get(i));
      t.copyTo(batch, i * t.size());
    }
    JsonObject layers = reference.getAsJsonObject("layers");
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray input = m.create(batch, new Shape(images.size(), 3, 224, 224));
      for (String layer : layers.keySet()) {
        NDArray out = tower.model().forward(input, layer);
        NDArray pooled =
            out.getShape().dimension() == 4 ? BatchedInference.globalAveragePool(out) : out;
        float[] actual = pooled.toFloatArray();
        JsonArray expected = layers.getAsJsonArray(layer);
        int dim = expected.get(0).getAsJsonArray().size();
        assertEquals(images.size() * dim, actual.length, layer + " size");
        for (int i = 0; i < images.size(); i++) {
          double maxRef = 0;
          double maxDiff = 0;
          JsonArray row = expected.get(i).getAsJsonArray();
          for (int j = 0; j < dim; j++) {
            double b = row.get(j).getAsDouble();
            maxRef = Math.max(maxRef, Math.abs(b));
            maxDiff = Math.max(maxDiff, Math.abs(actual[i * dim + j] - b));
          }
          assertTrue(maxRef > 0, layer + " reference of image " + i + " is all zero");
          double rel = maxDiff / maxRef;
          System.out.printf("parity %-24s image %d: max|diff|/max|ref| = %.2e%n", layer, i, rel);
          assertTrue(
              rel <= PARITY_TOLERANCE,
              layer + " image " + i + ": max|diff|/max|ref| = " + rel + " > " + PARITY_TOLERANCE);
        }
      }
    }
  }

  @Test
  void embedAll_isTheNormalisedPooledReferenceLayer() {
    EmbeddingMatrix e = tower.embedAll(images);
    JsonArray expected = reference.getAsJsonObject("layers").getAsJsonArray("block_13_expand_relu");
    assertEquals(576, e.dimension());
    for (int i = 0; i < images.size(); i++) {
      JsonArray row = expected.get(i).getAsJsonArray();
      double norm = 0;
      for (int j = 0; j < row.size(); j++) {
        norm += row.get(j).getAsDouble() * row.get(j).getAsDouble();
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < row.size(); j++) {
        double want = row.get(j).getAsDouble() / norm;
        assertTrue(
            Math.abs(e.get(i).get(j) - want) <= PARITY_TOLERANCE,
            "image " + i + " component " + j + ": " + e.get(i).get(j) + " vs " + want);
      }
    }
  }
}
