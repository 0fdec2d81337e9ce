package dev.lit4j.pytorch.image.keras;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.io.CacheDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer on small hand-written Keras models whose outputs are computed here in float64, in
 * Keras' own NHWC convention, so layout conversions, padding rules and batch-norm folding are each
 * checked against their definition.
 */
class KerasLayersModelTest {

  /** float32 forward passes of a few layers against float64 references. */
  private static final double RTOL = 1e-5;

  private static final double ATOL = 1e-6;

  private static JsonObject config(String json) {
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void samePaddingWithStrideTwo_padsBottomRightLikeTensorFlow() throws IOException {
    double[] ones = new double[9];
    java.util.Arrays.fill(ones, 1);
    TinyKerasModel b =
        new TinyKerasModel()
            .input(4, 4, 1)
            .layer(
                "c",
                "Conv2D",
                config(
                    "{\"filters\":1,\"kernel_size\":[3,3],\"strides\":[2,2],\"padding\":\"same\","
                        + "\"use_bias\":false,\"activation\":\"linear\"}"),
                "input")
            .weight("c/kernel", new int[] {3, 3, 1, 1}, ones);
    float[] x = new float[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
    }
    // TF: out = ceil(4 / 2) = 2, total padding (2 − 1)·2 + 3 − 4 = 1, all of it at the
    // bottom/right.
    double[] expected = new double[4];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        for (int dy = 0; dy < 3; dy++) {
          for (int dx = 0; dx < 3; dx++) {
            int r = 2 * i + dy;
            int c = 2 * j + dx;
            expected[i * 2 + j] += r < 4 && c < 4 ? x[r * 4 + c] : 0;
          }
        }
      }
    }
    try (KerasLayersModel model = b.load();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray out = model.forward(m.create(x, new Shape(1, 1, 4, 4)), "c");
      assertEquals(new Shape(1, 1, 2, 2), out.getShape());
      assertAllClose(expected, toDoubles(out.toFloatArray()), RTOL, ATOL);
    }
  }

  @Test
  void depthwiseWithMultiplier_ordersOutputChannelsAsTensorFlow() throws IOException {
    TinyKerasModel b =
        new TinyKerasModel()
            .input(1, 1, 2)
            .layer(
                "dw",
                "DepthwiseConv2D",
                config(
                    "{\"kernel_size\":[1,1],\"strides\":[1,1],\"padding\":\"valid\","
                        + "\"depth_multiplier\":2,\"use_bias\":true,\"activation\":\"linear\"}"),
                "input")
            // Keras [kh, kw, in, mult]: k[i][m] = 1, 2 (channel 0), 3, 4 (channel 1).
            .weight("dw/depthwise_kernel", new int[] {1, 1, 2, 2}, 1, 2, 3, 4)
            .weight("dw/bias", new int[] {4}, 0.1, 0.2, 0.3, 0.4);
    try (KerasLayersModel model = b.load();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray out = model.forward(m.create(new float[] {5, 7}, new Shape(1, 2, 1, 1)), "dw");
      // Output channel i·mult + m = x_i · k[i][m] + bias.
      assertAllClose(
          new double[] {5.1, 10.2, 21.3, 28.4}, toDoubles(out.toFloatArray()), RTOL, ATOL);
    }
  }

  @Test
  void batchNormStandaloneAndFolded_residualFlattenDense_matchFloat64Reference()
      throws IOException {
    double[] bnInGamma = {1.5, 0.5};
    double[] bnInBeta = {0.1, -0.2};
    double[] bnInMean = {0.3, -0.4};
    double[] bnInVar = {2.0, 0.25};
    double[] kernel = {0.5, -1.0, 2.0, 0.25}; // [1, 1, in=2, out=2]
    double[] bias = {0.05, -0.1};
    double[] bnGamma = {0.8, 1.2};
    double[] bnBeta = {0.3, 0.0};
    double[] bnMean = {0.2, -0.3};
    double[] bnVar = {0.5, 1.5};
    double eps = 1e-3;
    double[] dense = new double[8 * 3];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = Math.sin(i + 1);
    }
    double[] denseBias = {0.01, 0.02, 0.03};
    String bn = "{\"axis\":-1,\"epsilon\":0.001,\"center\":true,\"scale\":true}";
    TinyKerasModel b =
        new TinyKerasModel()
            .input(2, 2, 2)
            .layer("bn_in", "BatchNormalization", config(bn), "input")
            .layer(
                "c",
                "Conv2D",
                config(
                    "{\"filters\":2,\"kernel_size\":[1,1],\"strides\":[1,1],\"padding\":\"valid\","
                        + "\"use_bias\":true,\"activation\":\"linear\"}"),
                "bn_in")
            .layer("bn", "BatchNormalization", config(bn), "c")
            .layer(
                "r", "ReLU", config("{\"max_value\":6,\"negative_slope\":0,\"threshold\":0}"), "bn")
            .layer("a", "Add", config("{}"), "bn_in", "r")
            .layer("f", "Flatten", config("{}"), "a")
            .layer(
                "d",
                "Dense",
                config("{\"units\":3,\"activation\":\"linear\",\"use_bias\":true}"),
                "f")
            .weight("bn_in/gamma", new int[] {2}, bnInGamma)
            .weight("bn_in/beta", new int[] {2}, bnInBeta)
            .weight("bn_in/moving_mean", new int[] {2}, bnInMean)
            .weight("bn_in/moving_variance", new int[] {2}, bnInVar)
            .weight("c/kernel", new int[] {1, 1, 2, 2}, kernel)
            .weight("c/bias", new int[] {2}, bias)
            .weight("bn/gamma", new int[] {2}, bnGamma)
            .weight("bn/beta", new int[] {2}, bnBeta)
            .weight("bn/moving_mean", new int[] {2}, bnMean)
            .weight("bn/moving_variance", new int[] {2}, bnVar)
            .weight("d/kernel", new int[] {8, 3}, dense)
            .weight("d/bias", new int[] {3}, denseBias);
    // Input in NHWC [1, 2, 2, 2], values chosen so the ReLU clips both at 0 and at 6.
    double[] nhwc = {-3, 1, 0.5, 2, 4, -1, 7, 3};
    double[] bnIn = new double[8];
    double[] conv = new double[8];
    double[] added = new double[8];
    for (int p = 0; p < 4; p++) {
      for (int ch = 0; ch < 2; ch++) {
        bnIn[p * 2 + ch] =
            (nhwc[p * 2 + ch] - bnInMean[ch]) / Math.sqrt(bnInVar[ch] + eps) * bnInGamma[ch]
                + bnInBeta[ch];
      }
      for (int o = 0; o < 2; o++) {
        double s = bias[o];
        for (int i = 0; i < 2; i++) {
          s += bnIn[p * 2 + i] * kernel[i * 2 + o];
        }
        conv[p * 2 + o] = s;
        double y = (s - bnMean[o]) / Math.sqrt(bnVar[o] + eps) * bnGamma[o] + bnBeta[o];
        added[p * 2 + o] = bnIn[p * 2 + o] + Math.min(Math.max(y, 0), 6);
      }
    }
    double[] out = new double[3];
    for (int u = 0; u < 3; u++) {
      out[u] = denseBias[u];
      for (int i = 0; i < 8; i++) {
        out[u] += added[i] * dense[i * 3 + u]; // Keras flattens NHWC: index = p·C + ch
      }
    }
    float[] nchw = new float[8];
    for (int p = 0; p < 4; p++) {
      for (int ch = 0; ch < 2; ch++) {
        nchw[ch * 4 + p] = (float) nhwc[p * 2 + ch];
      }
    }
    try (KerasLayersModel model = b.load();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(nchw, new Shape(1, 2, 2, 2));
      assertAllClose(out, toDoubles(model.forward(x, "d").toFloatArray()), RTOL, ATOL);
      assertAllClose(added, toDoubles(model.forward(x, "f").toFloatArray()), RTOL, ATOL);
      // "c" alone is computed unfolded (bn is folded into a copy of it for the main path).
      float[] c = model.forward(x, "c").toFloatArray();
      double[] cNhwc = new double[8];
      for (int p = 0; p < 4; p++) {
        for (int ch = 0; ch < 2; ch++) {
          cNhwc[p * 2 + ch] = c[ch * 4 + p];
        }
      }
      assertAllClose(conv, cNhwc, RTOL, ATOL);
      assertTrue(model.weightSnapshot().containsKey("c+bn/kernel"), "bn was folded into c");
    }
  }

  private static double[] sines(int n, double phase) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.sin(i * 0.7 + phase);
    }
    return v;
  }

  @Test
  void laterLoads_takeTheConvertedArraysFromTheCache_andComputeTheSame(@TempDir Path cache)
      throws IOException {
    String saved = System.getProperty(CacheDirectories.PROPERTY);
    System.setProperty(CacheDirectories.PROPERTY, cache.toString());
    try {
      String bn = "{\"axis\":-1,\"epsilon\":0.001}";
      TinyKerasModel b =
          new TinyKerasModel()
              .input(3, 3, 2)
              .layer(
                  "c",
                  "Conv2D",
                  config(
                      "{\"filters\":4,\"kernel_size\":[3,3],\"strides\":[1,1],"
                          + "\"padding\":\"same\",\"use_bias\":true,\"activation\":\"linear\"}"),
                  "input")
              .layer("bn", "BatchNormalization", config(bn), "c")
              .layer("f", "Flatten", config("{}"), "bn")
              .layer(
                  "d",
                  "Dense",
                  config("{\"units\":3,\"activation\":\"linear\",\"use_bias\":true}"),
                  "f")
              .weight("c/kernel", new int[] {3, 3, 2, 4}, sines(72, 0))
              .weight("c/bias", new int[] {4}, sines(4, 1))
              .weight("bn/gamma", new int[] {4}, 1.5, 0.5, 1, 2)
              .weight("bn/beta", new int[] {4}, 0.1, -0.2, 0, 0.3)
              .weight("bn/moving_mean", new int[] {4}, 0.3, -0.4, 0, 1)
              .weight("bn/moving_variance", new int[] {4}, 2, 0.25, 1, 0.5)
              .weight("d/kernel", new int[] {36, 3}, sines(108, 2))
              .weight("d/bias", new int[] {3}, 0.01, 0.02, 0.03);
      float[] image = new float[18];
      for (int i = 0; i < image.length; i++) {
        image[i] = (float) Math.cos(i);
      }
      try (KerasLayersModel converted = b.load();
          KerasLayersModel cached = b.load();
          NDManager m = NDManager.newBaseManager("PyTorch")) {
        assertEquals(
            6, converted.convertedArrayCount(), "c, c folded with bn, d: kernel and bias each");
        assertEquals(0, cached.convertedArrayCount(), "every array read from the cache");
        NDArray x = m.create(image, new Shape(1, 2, 3, 3));
        assertArrayEquals(
            converted.forward(x, "d").toFloatArray(), cached.forward(x, "d").toFloatArray());
        assertEquals(converted.weightsSha256(), cached.weightsSha256());
      }
      Path file;
      try (Stream<Path> files = Files.list(cache.resolve("converted-weights"))) {
        file = files.findFirst().orElseThrow();
      }
      Files.write(file, new byte[] {1, 2, 3}); // corrupt: converted again and rewritten
      try (KerasLayersModel again = b.load()) {
        assertEquals(6, again.convertedArrayCount());
      }
      try (KerasLayersModel healed = b.load()) {
        assertEquals(0, healed.convertedArrayCount());
      }
    } finally {
      if (saved == null) {
        System.clearProperty(CacheDirectories.PROPERTY);
      } else {
        System.setProperty(CacheDirectories.PROPERTY, saved);
      }
    }
  }

  @Test
  void decode_dequantisesUint8AndUint16AffinelyAndReadsFloat32() {
    JsonArray manifest =
        JsonParser.parseString(
                "[{\"paths\":[\"x\"],\"weights\":["
                    + "{\"name\":\"q8\",\"shape\":[4],\"dtype\":\"float32\","
                    + "\"quantization\":{\"dtype\":\"uint8\",\"scale\":0.5,\"min\":-1}},"
                    + "{\"name\":\"q16\",\"shape\":[2],\"dtype\":\"float32\","
                    + "\"quantization\":{\"dtype\":\"uint16\",\"scale\":0.001,\"min\":2}},"
                    + "{\"name\":\"f\",\"shape\":[1],\"dtype\":\"float32\"}]}]")
            .getAsJsonArray();
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0).put((byte) 1).put((byte) 128).put((byte) 255);
    b.putShort((short) 0).putShort((short) 65535);
    b.putFloat(3.25f);
    Map<String, WeightManifest.Tensor> t =
        WeightManifest.decode(manifest, new byte[][] {b.array()});
    assertAllClose(new double[] {-1, -0.5, 63, 126.5}, toDoubles(t.get("q8").values()), RTOL, ATOL);
    assertAllClose(new double[] {2, 2 + 65.535}, toDoubles(t.get("q16").values()), RTOL, ATOL);
    assertEquals(3.25f, t.get("f").values()[0]);
    byte[] truncated = java.util.Arrays.copyOf(b.array(), 10);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightManifest.decode(manifest, new byte[][] {truncated}));
    assertTrue(e.getMessage().contains("'f'"), e.getMessage());
  }

  @Test
  void load_unsupportedLayer_namesLayerClassAndSupportedList() {
    TinyKerasModel b =
        new TinyKerasModel()
            .input(4, 4, 1)
            .layer("pool", "MaxPooling2D", config("{\"pool_size\":[2,2]}"), "input");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::load);
    assertTrue(e.getMessage().contains("'pool'"), e.getMessage());
    assertTrue(e.getMessage().contains("MaxPooling2D"), e.getMessage());
    assertTrue(e.getMessage().contains("DepthwiseConv2D"), e.getMessage());
  }

  @Test
  void load_missingWeight_namesIt() {
    TinyKerasModel b =
        new TinyKerasModel()
            .input(2, 2, 1)
            .layer(
                "c",
                "Conv2D",
                config("{\"filters\":1,\"kernel_size\":[1,1],\"use_bias\":false}"),
                "input");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::load);
    assertTrue(e.getMessage().contains("'c/kernel'"), e.getMessage());
  }

  @Test
  void loadFromPath_readsShardsBesideModelJson_andNamesAMissingShard(@TempDir Path dir)
      throws IOException {
    TinyKerasModel b =
        new TinyKerasModel()
            .input(1, 1, 1)
            .layer(
                "c",
                "Conv2D",
                config("{\"filters\":1,\"kernel_size\":[1,1],\"use_bias\":false}"),
                "input")
            .weight("c/kernel", new int[] {1, 1, 1, 1}, 2.5);
    Path json = Files.write(dir.resolve("model.json"), b.json());
    NoSuchFileException missing =
        assertThrows(NoSuchFileException.class, () -> KerasLayersModel.load(json));
    assertTrue(missing.getMessage().contains("w.bin"), missing.getMessage());
    Files.write(dir.resolve("w.bin"), b.shardBytes());
    try (KerasLayersModel model = KerasLayersModel.load(json);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray out = model.forward(m.create(new float[] {2}, new Shape(1, 1, 1, 1)), "c");
      assertEquals(5f, out.getFloat());
      assertEquals(1, model.parameterCount());
    }
  }

  @Test
  void load_graphModel_isRejectedWithTheReason() {
    byte[] graph =
        "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[]},\"weightsManifest\":[]}"
            .getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> KerasLayersModel.load(graph, p -> new byte[0]));
    assertTrue(e.getMessage().contains("functional Model"), e.getMessage());
  }

  @Test
  void shippedMobileNetV2_usesOnlySupportedLayerClasses() throws IOException {
    byte[] json;
    try (InputStream in =
        getClass().getResourceAsStream("/dev/lit4j/models/mobilenet_v2/model.json")) {
      json = in.readAllBytes();
    }
    try (KerasLayersModel model =
        KerasLayersModel.load(
            json,
            p -> {
              try (InputStream in =
                  getClass().getResourceAsStream("/dev/lit4j/models/mobilenet_v2/" + p)) {
                return in.readAllBytes();
              }
            })) {
      assertEquals(162, model.layerNames().size());
      TreeSet<String> classes = new TreeSet<>();
      model.layerNames().forEach(l -> classes.add(model.layerClass(l)));
      assertEquals(
          new TreeSet<>(
              List.of(
                  "Add",
                  "AveragePooling2D",
                  "BatchNormalization",
                  "Conv2D",
                  "Dense",
                  "DepthwiseConv2D",
                  "Dropout",
                  "Flatten",
                  "InputLayer",
                  "ReLU",
                  "ZeroPadding2D")),
          classes);
      assertEquals("ReLU", model.layerClass("block_13_expand_relu"));
      List<String> names = new ArrayList<>(model.layerNames());
      assertEquals("input_1", names.get(0));
    }
  }
}
