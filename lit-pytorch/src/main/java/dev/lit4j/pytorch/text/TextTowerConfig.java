package dev.lit4j.pytorch.text;

import java.util.Objects;

/**
 * The architecture of a {@link TransformerTextTower}: a BERT-style post-LayerNorm transformer
 * encoder (Devlin et al. 2019) followed by pooling and a linear projection to {@code
 * outputDimension}, the image tower's embedding dimension.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(int, int)}; every field is validated.
 *
 * @param vocabSize number of token ids the word-embedding table holds; must cover the tokenizer's
 *     vocabulary
 * @param layers number of encoder layers {@code N}
 * @param width hidden size {@code W}
 * @param heads attention heads; {@code width % heads == 0}
 * @param ffnWidth hidden size of each layer's feed-forward network (GELU, erf form)
 * @param maxLength tokens per text after truncation, including {@code [CLS]} and {@code [SEP]}
 *     (LiT's released models use 16)
 * @param maxPositions rows of the position-embedding table, at least {@code maxLength}
 * @param pooling how token outputs become one vector per text
 * @param outputDimension dimension {@code D} of the projected, L2-normalised embedding
 * @param layerNormEps epsilon of every LayerNorm (BERT: 1e-12)
 * @param seed seed of the from-scratch initialisation (weights truncated normal, std 0.02)
 */
public record TextTowerConfig(
    int vocabSize,
    int layers,
    int width,
    int heads,
    int ffnWidth,
    int maxLength,
    int maxPositions,
    Pooling pooling,
    int outputDimension,
    double layerNormEps,
    long seed) {

  /** Default number of encoder layers of a from-scratch tower. */
  public static final int DEFAULT_LAYERS = 4;

  /** Default hidden size of a from-scratch tower. */
  public static final int DEFAULT_WIDTH = 256;

  /** Default number of attention heads of a from-scratch tower. */
  public static final int DEFAULT_HEADS = 4;

  /** Default feed-forward width: four times {@link #DEFAULT_WIDTH}, as in BERT. */
  public static final int DEFAULT_FFN_WIDTH = 1024;

  /** Default tokens per text: 16, as in the LiT release. */
  public static final int DEFAULT_MAX_LENGTH = 16;

  /** Default LayerNorm epsilon, BERT's. */
  public static final double DEFAULT_LAYER_NORM_EPS = 1e-12;

  /**
   * Validates every field.
   *
   * @param vocabSize number of token ids the word-embedding table holds; must cover the tokenizer's
   *     vocabulary
   * @param layers number of encoder layers {@code N}
   * @param width hidden size {@code W}
   * @param heads attention heads; {@code width % heads == 0}
   * @param ffnWidth hidden size of each layer's feed-forward network (GELU, erf form)
   * @param maxLength tokens per text after truncation, including {@code [CLS]} and {@code [SEP]}
   *     (LiT's released models use 16)
   * @param maxPositions rows of the position-embedding table, at least {@code maxLength}
   * @param pooling how token outputs become one vector per text
   * @param outputDimension dimension {@code D} of the projected, L2-normalised embedding
   * @param layerNormEps epsilon of every LayerNorm (BERT: 1e-12)
   * @param seed seed of the from-scratch initialisation (weights truncated normal, std 0.02)
   * @throws IllegalArgumentException if a size is not positive, {@code width % heads != 0} (both
   *     are named), {@code maxLength < 2} or {@code maxLength > maxPositions}, or {@code
   *     layerNormEps} is not a positive finite number
   */
  public TextTowerConfig {
    Objects.requireNonNull(pooling, "pooling");
    positive("vocabSize", vocabSize);
    positive("layers", layers);
    positive("width", width);
    positive("heads", heads);
    positive("ffnWidth", ffnWidth);
    positive("outputDimension", outputDimension);
    if (width % heads != 0) {
      throw new IllegalArgumentException(
          "width must be divisible by heads: width = "
              + width
              + ", heads = "
              + heads
              + "; choose heads among the divisors of width");
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "maxLength must be at least 2 to hold [CLS] and [SEP], got " + maxLength);
    }
    if (maxPositions < maxLength) {
      throw new IllegalArgumentException(
          "maxPositions must be at least maxLength: maxPositions = "
              + maxPositions
              + ", maxLength = "
              + maxLength);
    }
    if (!(layerNormEps > 0) || !Double.isFinite(layerNormEps)) {
      throw new IllegalArgumentException(
          "layerNormEps must be a positive finite number, got " + layerNormEps);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  /** {@return the width of one attention head, {@code width / heads}} */
  public int headWidth() {
    return width / heads;
  }

  /**
   * Starts a builder with the from-scratch defaults ({@value #DEFAULT_LAYERS} layers, width {@value
   * #DEFAULT_WIDTH}, {@value #DEFAULT_HEADS} heads, FFN {@value #DEFAULT_FFN_WIDTH}, {@value
   * #DEFAULT_MAX_LENGTH} tokens, mean pooling, seed 0).
   *
   * @param vocabSize the tokenizer's vocabulary size
   * @param outputDimension the image tower's embedding dimension
   * @return a builder
   */
  public static Builder builder(int vocabSize, int outputDimension) {
    return new Builder(vocabSize, outputDimension);
  }

  /** {@return a builder initialised with this configuration's values} */
  public Builder toBuilder() {
    return new Builder(vocabSize, outputDimension)
        .layers(layers)
        .width(width)
        .heads(heads)
        .ffnWidth(ffnWidth)
        .maxLength(maxLength)
        .maxPositions(maxPositions)
        .pooling(pooling)
        .layerNormEps(layerNormEps)
        .seed(seed);
  }

  /**
   * Builds a {@link TextTowerConfig}; {@link #build()} validates. Not thread-safe. If {@link
   * #maxPositions(int)} is never called, the position table has exactly {@code maxLength} rows.
   */
  public static final class Builder {
    private final int vocabSize;
    private int outputDimension;
    private int layers = DEFAULT_LAYERS;
    private int width = DEFAULT_WIDTH;
    private int heads = DEFAULT_HEADS;
    private int ffnWidth = DEFAULT_FFN_WIDTH;
    private int maxLength = DEFAULT_MAX_LENGTH;
    private int maxPositions = -1;
    private Pooling pooling = Pooling.MEAN;
    private double layerNormEps = DEFAULT_LAYER_NORM_EPS;
    private long seed;

    private Builder(int vocabSize, int outputDimension) {
      this.vocabSize = vocabSize;
      this.outputDimension = outputDimension;
    }

    /**
     * Sets the number of encoder layers.
     *
     * @param layers encoder layers, at least 1
     * @return this builder
     */
    public Builder layers(int layers) {
      this.layers = layers;
      return this;
    }

    /**
     * Sets the hidden size.
     *
     * @param width the hidden size, a multiple of {@code heads}
     * @return this builder
     */
    public Builder width(int width) {
      this.width = width;
      return this;
    }

    /**
     * Sets the number of attention heads.
     *
     * @param heads attention heads
     * @return this builder
     */
    public Builder heads(int heads) {
      this.heads = heads;
      return this;
    }

    /**
     * Sets the feed-forward hidden size.
     *
     * @param ffnWidth the feed-forward hidden size
     * @return this builder
     */
    public Builder ffnWidth(int ffnWidth) {
      this.ffnWidth = ffnWidth;
      return this;
    }

    /**
     * Sets the tokens per text, special tokens included.
     *
     * @param maxLength tokens per text, at least 2
     * @return this builder
     */
    public Builder maxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Sets the rows of the position-embedding table (default: {@code maxLength}).
     *
     * @param maxPositions position-embedding rows, at least {@code maxLength}
     * @return this builder
     */
    public Builder maxPositions(int maxPositions) {
      this.maxPositions = maxPositions;
      return this;
    }

    /**
     * Sets the pooling.
     *
     * @param pooling how token outputs become one vector
     * @return this builder
     */
    public Builder pooling(Pooling pooling) {
      this.pooling = Objects.requireNonNull(pooling, "pooling");
      return this;
    }

    /**
     * Sets the output (projection) dimension.
     *
     * @param outputDimension the embedding dimension {@code D}
     * @return this builder
     */
    public Builder outputDimension(int outputDimension) {
      this.outputDimension = outputDimension;
      return this;
    }

    /**
     * Sets the LayerNorm epsilon.
     *
     * @param layerNormEps LayerNorm's {@code ε}, positive
     * @return this builder
     */
    public Builder layerNormEps(double layerNormEps) {
      this.layerNormEps = layerNormEps;
      return this;
    }

    /**
     * Sets the initialisation seed.
     *
     * @param seed the seed of the initial weights
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the configuration
     * @throws IllegalArgumentException as described by {@link TextTowerConfig}
     */
    public TextTowerConfig build() {
      return new TextTowerConfig(
          vocabSize,
          layers,
          width,
          heads,
          ffnWidth,
          maxLength,
          maxPositions < 0 ? maxLength : maxPositions,
          pooling,
          outputDimension,
          layerNormEps,
          seed);
    }
  }
}
