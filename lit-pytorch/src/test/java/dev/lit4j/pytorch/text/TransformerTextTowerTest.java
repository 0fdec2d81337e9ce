package dev.lit4j.pytorch.text;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransformerTextTowerTest {
  /**
   * Same text, different padding (batch companions): only the GEMM blocking changes, so outputs
   * agree to a few float32 ulps of the O(1) activations.
   */
  private static final double PADDING_ATOL = 2e-6;

  private static final double UNIT_NORM_TOL = 1e-5;

  @Test
  void embedAll_returnsUnitRowsOfTheOutputDimension() {
    try (TransformerTextTower tower = TestTowers.tinyTower(24, 1)) {
      EmbeddingMatrix e = tower.embedAll(List.of("a red kangaroo", "a pink cake", "x"));
      assertEquals(3, e.size());
      assertEquals(24, e.dimension());
      assertEquals(24, tower.dimension());
      for (int i = 0; i < 3; i++) {
        float[] row = e.matrix().row(i);
        double sq = 0;
        for (float v : row) {
          sq += (double) v * v;
        }
        assertClose(1.0, Math.sqrt(sq), 0, UNIT_NORM_TOL, "norm of row " + i);
      }
      assertNotEquals(e.get(0), e.get(1));
    }
  }

  @Test
  void forward_outputIsAlreadyNormalised_beforeJavaRenormalises() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 1);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch tb = tower.tokenize(List.of("one", "two words"), m);
      NDArray out =
          tower.forward(new ParameterStore(m, false), tb.tokenIds(), tb.attentionMask(), false);
      assertEquals(new Shape(2, 8), out.getShape());
      float[] norms = out.norm(new int[] {1}).toFloatArray();
      assertAllClose(new float[] {1, 1}, norms, 0, UNIT_NORM_TOL);
    }
  }

  @Test
  void sameSeed_givesIdenticalWeights_otherSeedDiffers() {
    try (TransformerTextTower a = TestTowers.tinyTower(8, 42);
        TransformerTextTower b = TestTowers.tinyTower(8, 42);
        TransformerTextTower c = TestTowers.tinyTower(8, 43)) {
      assertEquals(a.weights(), b.weights());
      assertEquals(a.identity(), b.identity());
      assertNotEquals(a.identity().checksum(), c.identity().checksum());
    }
  }

  @Test
  void fromScratchInit_isTruncatedNormalStd002_onesAndZeros() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 3)) {
      Map<String, FloatTensor> w = tower.weights();
      float[] table = w.get("embeddings.word_embeddings.weight").toArray();
      double sum = 0;
      double sq = 0;
      float maxAbs = 0;
      for (float v : table) {
        sum += v;
        sq += (double) v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      double mean = sum / table.length;
      double std = Math.sqrt(sq / table.length - mean * mean);
      // A normal truncated at ±2σ has std σ·0.87962566 (σ = 0.02); ~1M samples: error ~1e-5.
      assertClose(0.02 * 0.87962566, std, 0.005, 0, "std of the word-embedding init");
      assertTrue(maxAbs <= 0.04f, "no value beyond 2 std: " + maxAbs);
      assertClose(0, mean, 0, 1e-4, "mean of the word-embedding init");
      assertTrue(
          allEqual(w.get("encoder.layer.1.output.LayerNorm.weight").toArray(), 1f), "gains 1");
      assertTrue(
          allEqual(w.get("encoder.layer.0.attention.self.key.bias").toArray(), 0f), "biases 0");
    }
  }

  private static boolean allEqual(float[] values, float expected) {
    for (float v : values) {
      if (v != expected) {
        return false;
      }
    }
    return true;
  }

  @Test
  void parameters_carryBertNamesAndKinds() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 1)) {
      var named = tower.namedParameters();
      // 5 embedding tensors + 16 per layer + 2 projection.
      assertEquals(5 + 16 * 2 + 2, named.size());
      assertEquals(named.size(), tower.block().getParameters().size());
      assertEquals(
          ai.djl.nn.Parameter.Type.WEIGHT,
          named.get("encoder.layer.1.attention.self.query.weight").getType());
      assertEquals(
          ai.djl.nn.Parameter.Type.GAMMA,
          named.get("encoder.layer.1.attention.output.LayerNorm.weight").getType());
      assertEquals(ai.djl.nn.Parameter.Type.BIAS, named.get("projection.bias").getType());
      assertArrayEquals(
          new int[] {64, 32},
          tower.weights().get("encoder.layer.0.intermediate.dense.weight").shape());
    }
  }

  @Test
  void padding_doesNotChangeTheEmbedding() {
    try (TransformerTextTower tower = TestTowers.tinyTower(16, 5)) {
      String text = "a small red kangaroo";
      EmbeddingMatrix alone = tower.embedAll(List.of(text));
      EmbeddingMatrix padded =
          tower.embedAll(List.of("x", text, "a much longer caption with many more words in it"));
      assertAllClose(alone.matrix().row(0), padded.matrix().row(1), 0, PADDING_ATOL);
      FloatMatrix pooledAlone = tower.pooledFeatures(List.of(text), 1);
      FloatMatrix pooledPadded =
          tower.pooledFeatures(List.of(text, "one two three four five six seven eight"), 2);
      assertAllClose(pooledAlone.row(0), pooledPadded.row(0), 0, PADDING_ATOL);
    }
  }

  @Test
  void tokenIdsUnderTheMask_areIgnored() {
    try (TransformerTextTower tower = TestTowers.tinyTower(16, 5);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch tb = tower.tokenize(List.of("cat", "a much longer caption here"), m);
      long[] ids = tb.tokenIds().toLongArray();
      long[] mask = tb.attentionMask().toLongArray();
      long[] scrambled = ids.clone();
      Random rnd = new Random(0);
      int masked = 0;
      for (int i = 0; i < ids.length; i++) {
        if (mask[i] == 0) {
          scrambled[i] = 1000 + rnd.nextInt(20000);
          masked++;
        }
      }
      assertTrue(masked > 0, "the short text is padded");
      ParameterStore ps = new ParameterStore(m, false);
      float[] a = tower.forward(ps, tb.tokenIds(), tb.attentionMask(), false).toFloatArray();
      NDArray other = m.create(scrambled, tb.tokenIds().getShape());
      float[] b = tower.forward(ps, other, tb.attentionMask(), false).toFloatArray();
      assertAllClose(a, b, 0, PADDING_ATOL);
    }
  }

  @Test
  void embed_agreesWithEmbedAll_andBatchSizeDoesNotMatter() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      texts.add("caption number " + i + " " + "word ".repeat(i));
    }
    try (TransformerTextTower tower = TestTowers.tinyTower(16, 9)) {
      EmbeddingMatrix all = tower.embedAll(texts, 4);
      EmbeddingMatrix big = tower.embedAll(texts, 64);
      assertAllClose(all.matrix(), big.matrix(), 0, PADDING_ATOL);
      Embedding one = tower.embed(texts.get(7));
      assertAllClose(all.matrix().row(7), one.toArray(), 0, PADDING_ATOL);
    }
  }

  @Test
  void badInputs_embedToFiniteUnitVectors() {
    String tenThousand = "word ".repeat(2000);
    String astral =
        "\uD835\uDD18\uD835\uDD2B\uD835\uDD26 \uD83E\uDD98 \uD83C\uDF82"; // 𝔘𝔫𝔦 🦘 🎂
    try (TransformerTextTower tower = TestTowers.tinyTower(16, 2)) {
      EmbeddingMatrix e = tower.embedAll(List.of("", "   \t ", tenThousand, astral));
      assertEquals(4, e.size());
      assertEquals(-1, e.matrix().indexOfNonFinite());
      // Empty and whitespace-only both tokenize to [CLS] [SEP].
      assertAllClose(e.matrix().row(0), e.matrix().row(1), 0, PADDING_ATOL);
      // A 10,000-character text is truncated: only its first 14 word tokens count.
      Embedding prefix = tower.embed("word ".repeat(14));
      assertAllClose(prefix.toArray(), e.matrix().row(2), 0, PADDING_ATOL);
    }
  }

  @Test
  void nullInList_namesTheIndex_emptyListAndNullTextAreRejected() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 1)) {
      List<String> withNull = Arrays.asList("a", null);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tower.embedAll(withNull));
      assertTrue(e.getMessage().contains("texts[1] is null"), e.getMessage());
      List<String> none = List.of();
      IllegalArgumentException e2 =
          assertThrows(IllegalArgumentException.class, () -> tower.embedAll(none));
      assertTrue(e2.getMessage().contains("empty"), e2.getMessage());
      NullPointerException e3 = assertThrows(NullPointerException.class, () -> tower.embed(null));
      assertTrue(e3.getMessage().contains("text"), e3.getMessage());
      List<String> one = List.of("a");
      IllegalArgumentException e4 =
          assertThrows(IllegalArgumentException.class, () -> tower.embedAll(one, 0));
      assertTrue(e4.getMessage().contains("got 0"), e4.getMessage());
    }
  }

  @Test
  void tokenizerOfAnotherLength_isRejectedNamingBoth() {
    TextTowerConfig c = TestTowers.tiny(8).maxLength(16).build();
    TextTokenizer tok = TestTowers.tokenizer(32);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransformerTextTower.create(c, tok));
    assertTrue(e.getMessage().contains("tokenizer maxLength = 32"), e.getMessage());
    assertTrue(e.getMessage().contains("config maxLength = 16"), e.getMessage());
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      List<String> texts = List.of("a");
      assertThrows(
          IllegalStateException.class,
          () -> tok.tokenize(texts, m),
          "the tower took ownership of the tokenizer and closed it on failure");
    }
  }

  @Test
  void vocabularyTooSmallForTheTokenizer_isRejected() {
    TextTowerConfig c = TextTowerConfig.builder(1000, 8).layers(1).width(8).heads(2).build();
    TextTokenizer tok = TestTowers.tokenizer(16);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransformerTextTower.create(c, tok));
    assertTrue(e.getMessage().contains("config vocabSize = 1000"), e.getMessage());
    assertTrue(e.getMessage().contains("at least 30522"), e.getMessage());
  }

  @Test
  void fromWeights_withMissingOrMisshapenTensors_namesThem() {
    TextTowerConfig c = TestTowers.tiny(8).build();
    Map<String, FloatTensor> w;
    try (TransformerTextTower t = TransformerTextTower.create(c, TestTowers.tokenizer(16))) {
      w = new LinkedHashMap<>(t.weights());
    }
    w.remove("encoder.layer.1.output.dense.bias");
    Map<String, FloatTensor> missing = w;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransformerTextTower.fromWeights(c, TestTowers.tokenizer(16), missing));
    assertTrue(e.getMessage().contains("encoder.layer.1.output.dense.bias"), e.getMessage());

    Map<String, FloatTensor> misshapen = new LinkedHashMap<>(w);
    misshapen.put("encoder.layer.1.output.dense.bias", FloatTensor.of(new int[] {3}, new float[3]));
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> TransformerTextTower.fromWeights(c, TestTowers.tokenizer(16), misshapen));
    assertTrue(e2.getMessage().contains("has shape [3]"), e2.getMessage());
    assertTrue(e2.getMessage().contains("[32]"), e2.getMessage());
  }

  @Test
  void fromWeights_withoutProjection_keepsTheEncoderAndInitialisesTheProjection() {
    TextTowerConfig c = TestTowers.tiny(8).seed(11).build();
    try (TransformerTextTower source =
        TransformerTextTower.create(c.toBuilder().seed(99).build(), TestTowers.tokenizer(16))) {
      Map<String, FloatTensor> encoder = new LinkedHashMap<>(source.weights());
      encoder.keySet().removeAll(TextEncoderBlock.PROJECTION);
      try (TransformerTextTower lu =
          TransformerTextTower.fromWeights(c, TestTowers.tokenizer(16), encoder)) {
        Map<String, FloatTensor> w = lu.weights();
        assertEquals(
            encoder.get("embeddings.word_embeddings.weight"),
            w.get("embeddings.word_embeddings.weight"));
        assertNotEquals(source.weights().get("projection.weight"), w.get("projection.weight"));
        assertAllClose(
            source.pooledFeatures(List.of("a cat"), 1).row(0),
            lu.pooledFeatures(List.of("a cat"), 1).row(0),
            0,
            0);
      }
    }
  }

  @Test
  void concurrentEmbedAll_givesTheSequentialResult() throws Exception {
    List<String> texts = List.of("a red kangaroo", "a pink cake", "", "a much longer caption");
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 6)) {
      EmbeddingMatrix expected = tower.embedAll(texts, 2);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<EmbeddingMatrix>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          results.add(pool.submit(() -> tower.embedAll(texts, 2)));
        }
        for (Future<EmbeddingMatrix> f : results) {
          assertAllClose(expected.matrix(), f.get(30, TimeUnit.SECONDS).matrix(), 0, PADDING_ATOL);
        }
      } finally {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void embeddingInsideAGradientCollector_restoresTheThreadsGradMode() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 1);
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      assertTrue(JniUtils.isGradMode());
      tower.embed("a");
      assertTrue(JniUtils.isGradMode(), "a trainer's gradient recording survives an embed call");
    }
  }

  @Test
  void embedding_leavesNoArraysBehind() {
    try (TransformerTextTower tower = TestTowers.tinyTower(8, 1)) {
      NDManager parent = tower.block().getParameters().get(0).getValue().getArray().getManager();
      int before = parent.getManagedArrays().size();
      tower.embedAll(List.of("a", "b c", "d e f"), 2);
      tower.pooledFeatures(List.of("a"), 1);
      assertEquals(before, parent.getManagedArrays().size());
    }
  }

  @Test
  void close_isIdempotent_andUseAfterCloseThrows() {
    TransformerTextTower tower = TestTowers.tinyTower(8, 1);
    tower.close();
    tower.close();
    List<String> texts = List.of("a");
    assertClosed(assertThrows(IllegalStateException.class, () -> tower.embed("a")));
    assertClosed(assertThrows(IllegalStateException.class, () -> tower.embedAll(texts)));
    assertClosed(assertThrows(IllegalStateException.class, tower::identity));
    assertClosed(assertThrows(IllegalStateException.class, tower::weights));
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      assertClosed(assertThrows(IllegalStateException.class, () -> tower.tokenize(texts, m)));
      NDArray ids = m.zeros(new Shape(1, 2), ai.djl.ndarray.types.DataType.INT64);
      NDArray mask = m.ones(new Shape(1, 2), ai.djl.ndarray.types.DataType.INT64);
      ParameterStore ps = new ParameterStore(m, false);
      assertClosed(
          assertThrows(IllegalStateException.class, () -> tower.forward(ps, ids, mask, false)));
    }
  }

  private static void assertClosed(IllegalStateException e) {
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }
}
