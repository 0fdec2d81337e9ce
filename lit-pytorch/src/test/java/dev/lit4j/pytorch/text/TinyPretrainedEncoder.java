package dev.lit4j.pytorch.text;

import dev.lit4j.pytorch.weights.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A test {@link PretrainedEncoder}: the encoder weights of a tiny seeded tower ({@link
 * TestTowers#tiny}), registered for {@link java.util.ServiceLoader} in the test resources.
 */
public final class TinyPretrainedEncoder implements PretrainedEncoder {
  /** Its id. */
  public static final String ID = "test/tiny-encoder";

  /** Its artifact. */
  public static final String ARTIFACT = "dev.lit4j.test:tiny-encoder";

  private static final long SEED = 7;

  /** For {@link java.util.ServiceLoader}. */
  public TinyPretrainedEncoder() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String artifact() {
    return ARTIFACT;
  }

  @Override
  public Map<String, FloatTensor> encoderWeights() {
    try (TransformerTextTower source = TestTowers.tinyTower(4, SEED)) {
      Map<String, FloatTensor> w = new LinkedHashMap<>(source.weights());
      TextEncoderBlock.PROJECTION.forEach(w::remove);
      return w;
    }
  }

  /** A tower on this encoder with a fresh projection to {@code outputDimension}. */
  public static TransformerTextTower tower(int outputDimension, long projectionSeed)
      throws java.io.IOException {
    TextTowerConfig c = TestTowers.tiny(outputDimension).seed(projectionSeed).build();
    return TransformerTextTower.fromPretrained(
        c, TestTowers.tokenizer(c.maxLength()), new TinyPretrainedEncoder());
  }
}
