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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The imported tower reproduces all-MiniLM-L6-v2 as ONNX Runtime runs the original ONNX file:
 * mean-pooled {@code last_hidden_state} (sentence-transformers pooling, computed here in float64
 * from ORT's output) against {@link TransformerTextTower#pooledFeatures}, on {@value #SENTENCES}
 * real sentences (captions, accents, CJK, Arabic, emoji and characters outside the BMP, empty and
 * whitespace-only texts, and texts that hit the 128-token truncation). Both sides get the same
 * token ids, so this isolates the encoder.
 */
class AllMiniLmL6V2ParityTest {
  private static final String SENTENCES = "parity-sentences.json";
  private static final int MAX_LENGTH = 128;

  /**
   * Two float32 implementations of the same 6-layer network with different kernels (libtorch vs
   * ORT's MLAS): they differ by accumulated rounding, a few 1e-6 relative. Relative to each
   * vector's largest component, so near-zero components do not inflate it.
   */
  private static final double PARITY_RTOL = 1e-4;

  private static List<String> texts;

  @BeforeAll
  static void readSentences() throws IOException {
    try (InputStream in =
            Objects.requireNonNull(
                AllMiniLmL6V2ParityTest.class.getResourceAsStream(SENTENCES), SENTENCES);
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      texts = List.of(new Gson().fromJson(r, String[].class));
    }
  }

  @Test
  void pooledFeatures_matchOnnxRuntime_withinRelative1e4() throws IOException, OrtException {
    TextTowerConfig config = AllMiniLmL6V2.configBuilder(64).maxLength(MAX_LENGTH).build();
    try (TransformerTextTower tower = AllMiniLmL6V2.loadTower(config);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      FloatMatrix ours = tower.pooledFeatures(texts, 8);
      TokenBatch tb = tower.tokenize(texts, m);
      int b = tb.size();
      int t = tb.length();
      long[] ids = tb.tokenIds().toLongArray();
      long[] mask = tb.attentionMask().toLongArray();
      assertEquals(MAX_LENGTH, t, "some sentences hit truncation");
      long truncated = Arrays.stream(rowSums(mask, b, t)).filter(s -> s == MAX_LENGTH).count();
      assertTrue(truncated >= 3, "at least three sentences are truncated: " + truncated);

      double[][] reference = onnxRuntimeMeanPooled(ids, mask, b, t);
      double worst = 0;
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
      System.out.printf(
          "MiniLM parity vs ONNX Runtime: %d sentences, max |ours - ort| / max|ort| = %.3g%n",
          b, worst);
    }
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

  private static double[][] onnxRuntimeMeanPooled(long[] ids, long[] mask, int b, int t)
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
      for (int i = 0; i < b; i++) {
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
      return pooled;
    }
  }
}
