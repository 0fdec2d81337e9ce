package dev.lit4j.minilm;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.Gson;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.text.Pooling;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TokenBatch;
import dev.lit4j.pytorch.text.TransformerTextTower;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The imported tower reproduces all-MiniLM-L6-v2 as ONNX Runtime runs the original ONNX file:
 * mean-pooled {@code last_hidden_state} (sentence-transformers pooling, computed here in float64
 * from ORT's output) against {@link TransformerTextTower#pooledFeatures}, on {@value #SENTENCES}
 * real sentences (captions, accents, CJK, Arabic, emoji and characters outside the BMP, empty and
 * whitespace-only texts, and texts that hit the 128-token truncation). Both sides get the same
 * token ids, so this isolates the encoder.
 */
class AllMiniLmL6V2Test {
  private static final String SENTENCES = "parity-sentences.json";
  private static final int MAX_LENGTH = 128;

  /**
   * Two float32 implementations of the same 6-layer network with different kernels (libtorch vs
   * ORT's MLAS): they differ by accumulated rounding, a few 1e-6 relative. Relative to each
   * vector's largest component, so near-zero components do not inflate it.
   */
  private static final double PARITY_RTOL = 1e-4;

  private static List<String> texts;
  private static TransformerTextTower tower;

  @BeforeAll
  static void loadTowerAndSentences() throws IOException {
    tower = AllMiniLmL6V2.loadTower(AllMiniLmL6V2.configBuilder(64).maxLength(MAX_LENGTH).build());
    try (InputStream in =
            Objects.requireNonNull(
                AllMiniLmL6V2Test.class.getResourceAsStream(SENTENCES), SENTENCES);
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      texts = List.of(new Gson().fromJson(r, String[].class));
    }
  }

  @AfterAll
  static void closeTower() {
    tower.close();
  }

  @Test
  void meanAndClsPooledFeatures_matchOnnxRuntime_withinRelative1e4()
      throws IOException, OrtException {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      FloatMatrix ours = tower.pooledFeatures(texts, 8);
      TokenBatch tb = tower.tokenize(texts, m);
      int b = tb.size();
      int t = tb.length();
      long[] ids = tb.tokenIds().toLongArray();
      long[] mask = tb.attentionMask().toLongArray();
      assertEquals(MAX_LENGTH, t, "some sentences hit truncation");
      long truncated = Arrays.stream(rowSums(mask, b, t)).filter(s -> s == MAX_LENGTH).count();
      assertTrue(truncated >= 3, "at least three sentences are truncated: " + truncated);

      double[][][] ort = onnxRuntimePooled(ids, mask, b, t);
      double worst = maxRelativeError(ort[0], ours);
      System.out.printf(
          "MiniLM parity vs ONNX Runtime: %d sentences, max |ours - ort| / max|ort| = %.3g%n",
          b, worst);
      // CLS pooling: the same encoder weights in a CLS tower against ORT's position-0 output.
      TextTowerConfig clsConfig = tower.config().toBuilder().pooling(Pooling.CLS).build();
      try (TransformerTextTower clsTower =
          TransformerTextTower.fromWeights(
              clsConfig,
              TextTokenizer.load(AllMiniLmL6V2.openTokenizerJson(), MAX_LENGTH),
              tower.weights())) {
        double worstCls = maxRelativeError(ort[1], clsTower.pooledFeatures(texts, 8));
        System.out.printf("MiniLM CLS parity: max relative error = %.3g%n", worstCls);
      }
    }
  }

  /** Asserts parity row by row and returns the largest error relative to each row's max. */
  private static double maxRelativeError(double[][] reference, FloatMatrix ours) {
    double worst = 0;
    int b = reference.length;
    for (int i = 0; i < b; i++) {
      double scale = 0;
      for (double v : reference[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      double[] expected = reference[i];
      float[] actual = ours.row(i);
      double[] got = new double[actual.length];
      for (int j = 0; j < got.length; j++) {
        got[j] = actual[j];
        worst = Math.max(worst, Math.abs(got[j] - expected[j]) / scale);
      }
      assertAllClose(expected, got, 0, PARITY_RTOL * scale);
    }
    return worst;
  }

  @Test
  void save_withTheEncoderUnchanged_writesOnlyTheProjection_andLoadsMiniLmFromThisJar(
      @TempDir Path dir) throws IOException {
    tower.saveTo(dir);
    long weights = Files.size(dir.resolve("text-tower.safetensors"));
    // [64, 384] + [64] float32 and a header, not MiniLM's 90 MB.
    assertTrue(weights < 200_000, "text-tower.safetensors holds " + weights + " bytes");
    assertTrue(Files.readString(dir.resolve("text-tower.json")).contains(AllMiniLmL6V2.Encoder.ID));
    List<String> some = texts.subList(0, 4);
    try (TransformerTextTower loaded = TransformerTextTower.load(dir)) {
      assertEquals(tower.embedAll(some), loaded.embedAll(some));
      assertEquals(tower.identity(), loaded.identity());
    }
  }

  @Test
  void pretrainedFeatures_rankAParaphraseAboveAnUnrelatedSentence() {
    FloatMatrix f =
        tower.pooledFeatures(
            List.of(
                "a red kangaroo hopping through the desert",
                "a kangaroo jumping across dry sand",
                "a spreadsheet of quarterly tax figures"),
            3);
    double paraphrase = cosine(f.row(0), f.row(1));
    double unrelated = cosine(f.row(0), f.row(2));
    assertTrue(
        paraphrase > unrelated + 0.3,
        "pre-trained semantics survive the import: " + paraphrase + " vs " + unrelated);
  }

  @Test
  void encoderIsPretrained_projectionIsFresh_andEveryParameterTrains() {
    var named = tower.namedParameters();
    assertEquals(5 + 16 * AllMiniLmL6V2.LAYERS + 2, named.size());
    assertTrue(named.values().stream().allMatch(p -> p.getArray().hasGradient()));
    Map<String, dev.lit4j.pytorch.weights.FloatTensor> w = tower.weights();
    // The fresh projection is the seeded truncated normal: |w| <= 2 * 0.02.
    float maxAbs = 0;
    for (float v : w.get("projection.weight").toArray()) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    assertTrue(maxAbs <= 0.04f && maxAbs > 0.03f, "fresh projection: max |w| = " + maxAbs);
    // Pre-trained LayerNorm gains are far from the from-scratch value 1.
    float[] gain = w.get("encoder.layer.5.output.LayerNorm.weight").toArray();
    assertTrue(Arrays.stream(toDouble(gain)).anyMatch(g -> Math.abs(g - 1) > 0.1));
    assertEquals(64, tower.embed("a red kangaroo").dimension());
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static long[] rowSums(long[] mask, int b, int t) {
    long[] s = new long[b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        s[i] += mask[i * t + j];
      }
    }
    return s;
  }

  /** Runs ORT and returns {mean-pooled [B][W], CLS [B][W]} in float64. */
  private static double[][][] onnxRuntimePooled(long[] ids, long[] mask, int b, int t)
      throws IOException, OrtException {
    byte[] model;
    try (InputStream in =
        Objects.requireNonNull(
            AllMiniLmL6V2.class.getResourceAsStream(AllMiniLmL6V2.ONNX_RESOURCE))) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {b, t};
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options);
        OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * t]), shape);
        OrtSession.Result result =
            session.run(
                Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", typeT))) {
      FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
      int w = hidden.capacity() / (b * t);
      double[][] pooled = new double[b][w];
      double[][] cls = new double[b][w];
      for (int i = 0; i < b; i++) {
        for (int k = 0; k < w; k++) {
          cls[i][k] = hidden.get(i * t * w + k);
        }
        double count = 0;
        for (int j = 0; j < t; j++) {
          if (mask[i * t + j] == 0) {
            continue;
          }
          count++;
          for (int k = 0; k < w; k++) {
            pooled[i][k] += hidden.get((i * t + j) * w + k);
          }
        }
        for (int k = 0; k < w; k++) {
          pooled[i][k] /= count;
        }
      }
      return new double[][][] {pooled, cls};
    }
  }
}
