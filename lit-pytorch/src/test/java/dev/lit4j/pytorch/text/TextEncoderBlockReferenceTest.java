package dev.lit4j.pytorch.text;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DJL encoder against {@link BertReference} (float64) on a small tower whose every parameter,
 * biases and LayerNorm gains included, is random, so no term can hide behind a zero or a one.
 */
class TextEncoderBlockReferenceTest {
  /**
   * float32 against float64 through two layers of width 32 on O(1) values: observed 2.6e-7; the
   * bound leaves a margin of about eight. A tanh-form GELU or a leaky mask would be off by 1e-4 or
   * more.
   */
  private static final double ATOL = 2e-6;

  private static final List<String> TEXTS =
      List.of("a red kangaroo in the desert", "", "cat", "\uD83E\uDD98 unknown emoji tokens");

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void pooledAndProjected_matchTheFloat64Reference(Pooling pooling) {
    TextTowerConfig config = TestTowers.tiny(12).pooling(pooling).seed(5).build();
    Map<String, FloatTensor> weights = randomWeights(config);
    try (TransformerTextTower tower =
            TransformerTextTower.fromWeights(config, TestTowers.tokenizer(16), weights);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch tb = tower.tokenize(TEXTS, m);
      int t = tb.length();
      long[] ids = tb.tokenIds().toLongArray();
      long[] mask = tb.attentionMask().toLongArray();
      float[] pooled = tower.pooledFeatures(TEXTS, TEXTS.size()).toArray();
      float[] projected =
          tower
              .forward(new ParameterStore(m, false), tb.tokenIds(), tb.attentionMask(), false)
              .toFloatArray();
      BertReference ref = new BertReference(config, weights);
      for (int i = 0; i < TEXTS.size(); i++) {
        long[] rowIds = Arrays.copyOfRange(ids, i * t, (i + 1) * t);
        long[] rowMask = Arrays.copyOfRange(mask, i * t, (i + 1) * t);
        int w = config.width();
        int d = config.outputDimension();
        assertAllClose(
            ref.pooled(rowIds, rowMask),
            toDouble(Arrays.copyOfRange(pooled, i * w, (i + 1) * w)),
            0,
            ATOL);
        assertAllClose(
            ref.embedding(rowIds, rowMask),
            toDouble(Arrays.copyOfRange(projected, i * d, (i + 1) * d)),
            0,
            ATOL);
      }
    }
  }

  /** Every tensor uniform in ±0.5 except gains around 1, so all terms matter. */
  private static Map<String, FloatTensor> randomWeights(TextTowerConfig config) {
    Map<String, FloatTensor> shapes;
    try (TransformerTextTower t = TransformerTextTower.create(config, TestTowers.tokenizer(16))) {
      shapes = t.weights();
    }
    Random rnd = new Random(11);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    shapes.forEach(
        (name, tensor) -> {
          float[] v = new float[tensor.size()];
          boolean gain = name.endsWith("LayerNorm.weight");
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((gain ? 1 : 0) + (rnd.nextDouble() - 0.5) * (gain ? 0.4 : 0.5));
          }
          out.put(name, FloatTensor.of(tensor.shape(), v));
        });
    return out;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
