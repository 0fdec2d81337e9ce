package dev.lit4j.pytorch.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Shared fixtures: a real tokenizer and small tower configurations that run in milliseconds. */
final class TestTowers {
  /** all-MiniLM-L6-v2's WordPiece tokenizer.json, from the LangChain4j test dependency. */
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /** Vocabulary of that tokenizer. */
  static final int VOCAB = 30522;

  private TestTowers() {}

  static TextTokenizer tokenizer(int maxLength) {
    try (InputStream in =
        Objects.requireNonNull(
            TestTowers.class.getResourceAsStream(TOKENIZER_RESOURCE), TOKENIZER_RESOURCE)) {
      return TextTokenizer.load(in, maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two layers, width 32, four heads: small enough for many towers per test. */
  static TextTowerConfig.Builder tiny(int outputDimension) {
    return TextTowerConfig.builder(VOCAB, outputDimension)
        .layers(2)
        .width(32)
        .heads(4)
        .ffnWidth(64);
  }

  static TransformerTextTower tinyTower(int outputDimension, long seed) {
    TextTowerConfig c = tiny(outputDimension).seed(seed).build();
    return TransformerTextTower.create(c, tokenizer(c.maxLength()));
  }
}
