package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.io.Checksums;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TextTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.internal.EngineStart;
import dev.lit4j.pytorch.weights.FloatTensor;
import dev.lit4j.pytorch.weights.Safetensors;
import dev.lit4j.spi.SavableTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;

/**
 * LiT's trainable text tower (Zhai et al. 2022, §3): a BERT-style transformer encoder with a
 * HuggingFace tokenizer, pooling over non-padding tokens, and a linear projection to the image
 * tower's dimension, L2-normalised. Built from scratch ({@link #create}), from pre-trained encoder
 * weights with a fresh projection (the paper's "LU" setting, {@link #fromWeights}), or from a saved
 * directory ({@link #load}).
 *
 * <p>Deviations from BERT: no dropout, a single segment (token type 0). Parameters carry BERT's
 * names ({@link #namedParameters()}), so weights map one-to-one to HuggingFace checkpoints.
 *
 * <p>Thread-safety: {@link #embed}, {@link #embedAll} and {@link #pooledFeatures} may run
 * concurrently; {@link #close()} waits for them. Training ({@link #forward} under a gradient
 * collector plus optimiser updates) changes parameters in place and must not overlap embedding
 * calls or {@link #close()}; callers serialise it.
 *
 * <pre>{@code
 * try (TransformerTextTower tower =
 *     TransformerTextTower.create(
 *         TextTowerConfig.builder(30522, 576).build(),
 *         TextTokenizer.load(Path.of("tokenizer.json"), 16))) {
 *   EmbeddingMatrix e = tower.embedAll(List.of("a red kangaroo", "a pink cake"));
 * }
 * }</pre>
 */
public final class TransformerTextTower implements TextTower, SavableTower {
  /** Texts per inference batch of {@link #embedAll(List)}. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  private final TextTowerConfig config;
  private final TextTokenizer tokenizer;
  private final NDManager manager;
  private final TextEncoderBlock block;
  private final Map<String, Parameter> named;
  private final EncoderBase base; // null when not built on a PretrainedEncoder
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock

  private TransformerTextTower(
      TextTowerConfig config,
      TextTokenizer tokenizer,
      NDManager manager,
      TextEncoderBlock block,
      EncoderBase base) {
    this.config = config;
    this.base = base;
    this.tokenizer = tokenizer;
    this.manager = manager;
    this.block = block;
    Map<String, Parameter> m = new LinkedHashMap<>();
    block.registry().specs().forEach((name, spec) -> m.put(name, spec.parameter()));
    this.named = Collections.unmodifiableMap(m);
  }

  /**
   * Builds a tower with every parameter initialised from scratch: weight matrices and embedding
   * tables truncated normal (std 0.02, cut at 2 std) from {@code config.seed()}, biases 0,
   * LayerNorm gains 1. The same seed gives the same weights.
   *
   * @param tokenizer owned by the tower from now on, closed with it (also if this method throws)
   * @param config the architecture, pooling and seed
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException if the tokenizer's {@code maxLength} differs from the
   *     configuration's, or its vocabulary exceeds {@code vocabSize} (both values are named)
   */
  public static TransformerTextTower create(TextTowerConfig config, TextTokenizer tokenizer) {
    return build(config, tokenizer, Map.of(), null, null);
  }

  /**
   * As {@link #create(TextTowerConfig, TextTokenizer)}, with the parameters on {@code device}
   * instead of the engine's default device (GPU 0 where CUDA is present). The weights are the same
   * on every device: they are drawn on the host from {@code config.seed()}. For example, {@code
   * create(config, tokenizer, ComputeDevice.cpu())} keeps a tower on the CPU on a machine with a
   * GPU.
   *
   * @param config the architecture, pooling and seed
   * @param tokenizer owned by the tower from now on, closed with it (also if this method throws)
   * @param device where the parameters live and the tower runs
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException as {@link #create(TextTowerConfig, TextTokenizer)}, or if
   *     {@code device} is a GPU the engine does not have (the available ones are named)
   */
  public static TransformerTextTower create(
      TextTowerConfig config, TextTokenizer tokenizer, ComputeDevice device) {
    Objects.requireNonNull(device, "device");
    return build(config, tokenizer, Map.of(), null, device);
  }

  /**
   * Builds a tower from pre-trained encoder weights named as in HuggingFace BERT checkpoints
   * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight}
   * with PyTorch's {@code [out, in]} layout, …). The projection ({@code projection.weight [D, W]},
   * {@code projection.bias [D]}) is taken from {@code weights} if present, otherwise freshly
   * initialised from {@code config.seed()}.
   *
   * @param tokenizer owned by the tower from now on, closed with it (also if this method throws)
   * @param config the architecture, pooling and seed
   * @param weights the encoder's tensors by BERT name, and optionally the projection's
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException if a tensor is missing, unexpected or of the wrong shape (the
   *     names and shapes are given), or the tokenizer does not fit the configuration
   */
  public static TransformerTextTower fromWeights(
      TextTowerConfig config, TextTokenizer tokenizer, Map<String, FloatTensor> weights) {
    Objects.requireNonNull(weights, "weights");
    if (weights.isEmpty()) {
      Objects.requireNonNull(tokenizer, "tokenizer").close();
      throw new IllegalArgumentException(
          "weights is empty; use TransformerTextTower.create for a tower trained from scratch");
    }
    return build(config, tokenizer, Map.copyOf(weights), null, null);
  }

  /**
   * Builds a tower on a {@link PretrainedEncoder}: its weights, and a freshly initialised
   * projection from {@code config.seed()}. The tower remembers the encoder, so that saving it after
   * training only the projection stores a reference to the encoder rather than a copy.
   *
   * @param tokenizer owned by the tower from now on, closed with it (also if this method throws)
   * @param config the architecture, pooling and seed
   * @param encoder the pre-trained encoder
   * @return the tower; the caller closes it
   * @throws IllegalArgumentException as {@link #fromWeights}
   * @throws IOException if the encoder's weights cannot be read
   */
  public static TransformerTextTower fromPretrained(
      TextTowerConfig config, TextTokenizer tokenizer, PretrainedEncoder encoder)
      throws IOException {
    Objects.requireNonNull(encoder, "encoder");
    Map<String, FloatTensor> weights;
    try {
      weights = encoder.encoderWeights();
    } catch (IOException | RuntimeException e) {
      Objects.requireNonNull(tokenizer, "tokenizer").close();
      throw e;
    }
    return build(config, tokenizer, Map.copyOf(weights), EncoderBase.of(encoder, weights), null);
  }

  /**
   * Loads a tower saved by {@link #saveTo(Path)}.
   *
   * @param towerDirectory a directory written by {@link #saveTo(Path)}
   * @return the tower; the caller closes it
   * @throws IOException if a file is missing or invalid (the message names it)
   */
  public static TransformerTextTower load(Path towerDirectory) throws IOException {
    Objects.requireNonNull(towerDirectory, "towerDirectory");
    TextTowerConfig config = TextTowerFiles.readConfig(towerDirectory);
    EncoderBase base = TextTowerFiles.readBase(towerDirectory).orElse(null);
    Map<String, FloatTensor> weights =
        Safetensors.read(towerDirectory.resolve(TextTowerFiles.WEIGHTS_FILE));
    if (base != null) {
      Map<String, FloatTensor> merged = new LinkedHashMap<>(base.resolve());
      merged.putAll(weights);
      weights = merged;
    }
    TextTokenizer tokenizer;
    try {
      tokenizer =
          TextTokenizer.load(
              towerDirectory.resolve(TextTowerFiles.TOKENIZER_FILE), config.maxLength());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          TextTowerFiles.TOKENIZER_FILE
              + " in "
              + towerDirectory
              + " is invalid: "
              + e.getMessage(),
          e);
    }
    try {
      return build(config, tokenizer, weights, base, null);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "text tower in " + towerDirectory + " is inconsistent: " + e.getMessage(), e);
    }
  }

  private static TransformerTextTower build(
      TextTowerConfig config,
      TextTokenizer tokenizer,
      Map<String, FloatTensor> weights,
      EncoderBase base,
      ComputeDevice device) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    NDManager manager = null;
    try {
      Objects.requireNonNull(config, "config");
      if (tokenizer.maxLength() != config.maxLength()) {
        throw new IllegalArgumentException(
            "tokenizer maxLength = "
                + tokenizer.maxLength()
                + " but config maxLength = "
                + config.maxLength()
                + "; load the tokenizer with the configuration's maxLength");
      }
      if (tokenizer.vocabularySize() > config.vocabSize()) {
        throw new IllegalArgumentException(
            "tokenizer emits ids up to "
                + (tokenizer.vocabularySize() - 1)
                + " but config vocabSize = "
                + config.vocabSize()
                + "; set vocabSize to at least "
                + tokenizer.vocabularySize());
      }
      manager =
          device == null
              ? EngineStart.engine().newBaseManager()
              : EngineStart.engine().newBaseManager(device.toDjlDevice());
      TextEncoderBlock block = new TextEncoderBlock(config);
      block.registry().assign(weights, TextEncoderBlock.PROJECTION, config.seed(), manager);
      return new TransformerTextTower(config, tokenizer, manager, block, base);
    } catch (RuntimeException | Error e) {
      if (manager != null) {
        manager.close();
      }
      tokenizer.close();
      throw e;
    }
  }

  /** {@return the architecture} */
  public TextTowerConfig config() {
    return config;
  }

  @Override
  public int dimension() {
    return config.outputDimension();
  }

  /**
   * Returns the identity: name from the architecture, checksum the SHA-256 of the current weights
   * (it changes as the tower trains; computing it reads every parameter), preprocessing from the
   * tokenizer's checksum, {@code maxLength} and pooling.
   *
   * @throws IllegalStateException if the tower is closed
   */
  @Override
  public TowerIdentity identity() {
    return read(
        () -> {
          String name =
              String.format(
                  "transformer-text/L%d-W%d-H%d-F%d-D%d",
                  config.layers(),
                  config.width(),
                  config.heads(),
                  config.ffnWidth(),
                  config.outputDimension());
          String preprocessing =
              "tokenizer.json sha256="
                  + Checksums.sha256Hex(tokenizer.json())
                  + ", maxLength="
                  + config.maxLength()
                  + ", pooling="
                  + config.pooling();
          return new TowerIdentity(name, WeightDigest.of(weightsUnlocked()), preprocessing);
        });
  }

  @Override
  public EmbeddingMatrix embedAll(List<String> texts) {
    return embedAll(texts, DEFAULT_BATCH_SIZE);
  }

  /**
   * Embeds {@code texts} in batches of {@code batchSize}; each batch lives in its own native memory
   * scope, so memory is bounded by one batch plus the {@code [n, D]} result.
   *
   * @param texts one or more texts
   * @param batchSize texts per batch, at least 1
   * @return {@code [texts.size(), D]}, unit rows
   * @throws IllegalArgumentException if {@code texts} is empty or holds {@code null} (the index is
   *     named), or {@code batchSize < 1}
   * @throws IllegalStateException if the tower is closed
   */
  public EmbeddingMatrix embedAll(List<String> texts, int batchSize) {
    FloatMatrix rows =
        batched(
            texts,
            batchSize,
            config.outputDimension(),
            (ps, tb) ->
                block.project(
                    ps, block.pooled(ps, tb.tokenIds(), tb.attentionMask(), false), false));
    return EmbeddingMatrix.normalising(rows);
  }

  /**
   * {@return the pooled encoder output <b>before</b> the projection: {@code [texts.size(), W]},
   * float32, not normalised} With {@link Pooling#MEAN} and MiniLM weights this is the
   * sentence-transformers embedding before its final normalisation.
   *
   * @param texts one or more texts
   * @param batchSize texts per batch, at least 1
   * @throws IllegalArgumentException as {@link #embedAll(List, int)}
   * @throws IllegalStateException if the tower is closed
   */
  public FloatMatrix pooledFeatures(List<String> texts, int batchSize) {
    return batched(
        texts,
        batchSize,
        config.width(),
        (ps, tb) -> block.pooled(ps, tb.tokenIds(), tb.attentionMask(), false));
  }

  private FloatMatrix batched(
      List<String> texts,
      int batchSize,
      int cols,
      BiFunction<ParameterStore, TokenBatch, NDArray> compute) {
    Objects.requireNonNull(texts, "texts");
    TextTokenizer.checkTexts(texts);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    return read(
        () -> {
          float[] out = new float[texts.size() * cols];
          InferenceMode.run(
              () -> {
                for (int from = 0; from < texts.size(); from += batchSize) {
                  int to = Math.min(texts.size(), from + batchSize);
                  try (NDManager scope = manager.newSubManager()) {
                    TokenBatch tb = tokenizer.tokenize(texts.subList(from, to), scope);
                    float[] v = compute.apply(new ParameterStore(scope, false), tb).toFloatArray();
                    System.arraycopy(v, 0, out, from * cols, v.length);
                  }
                }
                return out;
              });
          return FloatMatrix.wrap(texts.size(), cols, out);
        });
  }

  /**
   * Tokenizes {@code texts} for {@link #forward}: truncated to {@code maxLength}, padded to the
   * longest in the batch.
   *
   * @param manager owns the returned arrays
   * @param texts one or more texts
   * @return token ids and attention mask, {@code [texts.size(), T]}
   * @throws IllegalArgumentException if {@code texts} is empty or holds {@code null} (the index is
   *     named)
   * @throws IllegalStateException if the tower is closed
   */
  public TokenBatch tokenize(List<String> texts, NDManager manager) {
    return read(() -> tokenizer.tokenize(texts, manager));
  }

  /**
   * The differentiable forward pass for a trainer: token ids and mask to L2-normalised embeddings.
   * Call it inside a {@code GradientCollector} with a {@link ParameterStore} to get gradients on
   * {@link #namedParameters()}. Results belong to {@code tokenIds}'s manager.
   *
   * @param tokenIds int64 {@code [B, T]}, {@code T <= maxPositions}
   * @param attentionMask int64 {@code [B, T]}, 1 for tokens and 0 for padding; each row must hold
   *     at least one 1
   * @param training whether the parameter store hands out training values (DJL's convention)
   * @param parameterStore hands out the parameters' values (and collects their gradients)
   * @return float32 {@code [B, D]}, unit rows
   * @throws IllegalArgumentException if the shapes are not {@code [B, T]} alike or {@code T}
   *     exceeds {@code maxPositions}
   * @throws IllegalStateException if the tower is closed
   */
  public NDArray forward(
      ParameterStore parameterStore, NDArray tokenIds, NDArray attentionMask, boolean training) {
    Objects.requireNonNull(parameterStore, "parameterStore");
    TokenBatch batch = new TokenBatch(tokenIds, attentionMask);
    if (batch.length() > config.maxPositions()) {
      throw new IllegalArgumentException(
          "sequence length "
              + batch.length()
              + " exceeds maxPositions = "
              + config.maxPositions()
              + "; tokenize with this tower's tokenizer");
    }
    return read(
        () ->
            block.project(
                parameterStore,
                block.pooled(parameterStore, tokenIds, attentionMask, training),
                training));
  }

  /**
   * {@return the SHA-256 (hex) of every weight except the projection, in name order: what decides
   * the encoder's pooled output} It stays the same while only the projection trains.
   *
   * @throws IllegalStateException if the tower is closed
   */
  public String encoderChecksum() {
    return read(() -> EncoderBase.digestOf(weightsUnlocked()));
  }

  /**
   * The differentiable projection alone, for a trainer that keeps the encoder locked: pooled
   * encoder outputs (from {@link #pooledFeatures}) to L2-normalised embeddings, with gradients on
   * {@code projection.weight} and {@code projection.bias} when run inside a {@code
   * GradientCollector}. Results belong to {@code pooled}'s manager.
   *
   * @param pooled float32 {@code [B, W]}
   * @param parameterStore hands out the parameters' values (and collects their gradients)
   * @param training whether the parameter store hands out training values (DJL's convention)
   * @return float32 {@code [B, D]}, unit rows
   * @throws IllegalArgumentException if {@code pooled} is not {@code [B, W]}
   * @throws IllegalStateException if the tower is closed
   */
  public NDArray projectPooled(ParameterStore parameterStore, NDArray pooled, boolean training) {
    Objects.requireNonNull(parameterStore, "parameterStore");
    Objects.requireNonNull(pooled, "pooled");
    if (pooled.getShape().dimension() != 2 || pooled.getShape().get(1) != config.width()) {
      throw new IllegalArgumentException(
          "pooled features have shape "
              + pooled.getShape()
              + " but the projection takes [B, "
              + config.width()
              + "]");
    }
    return read(() -> block.project(parameterStore, pooled, training));
  }

  /**
   * {@return the trainable block (every parameter of the tower), e.g. for {@code
   * block.getParameters()}} Its arrays belong to the tower and are freed by {@link #close()}.
   */
  public Block block() {
    return block;
  }

  /**
   * {@return every parameter by its BERT name, in a fixed order} {@link Parameter#getType()} is
   * {@code WEIGHT} for weight matrices and embedding tables (those weight decay applies to) and
   * {@code BIAS}, {@code GAMMA} or {@code BETA} for biases and LayerNorm gains and shifts.
   */
  public Map<String, Parameter> namedParameters() {
    return named;
  }

  /**
   * {@return a snapshot of every parameter, copied to the heap, by BERT name}
   *
   * @throws IllegalStateException if the tower is closed
   */
  public Map<String, FloatTensor> weights() {
    return read(this::weightsUnlocked);
  }

  private Map<String, FloatTensor> weightsUnlocked() {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    block
        .registry()
        .specs()
        .forEach(
            (name, spec) ->
                out.put(
                    name,
                    FloatTensor.of(spec.shape(), spec.parameter().getArray().toFloatArray())));
    return out;
  }

  @Override
  public String formatId() {
    return TextTowerFiles.FORMAT_ID;
  }

  /**
   * Writes {@code text-tower.json}, {@code text-tower.safetensors} and {@code tokenizer.json} into
   * {@code towerDirectory}, each atomically. A tower built with {@link #fromPretrained} whose
   * encoder weights are unchanged stores only its projection and a reference to the encoder.
   *
   * @throws IOException if the directory does not exist or a file cannot be written
   * @throws IllegalStateException if the tower is closed
   */
  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    Objects.requireNonNull(towerDirectory, "towerDirectory");
    if (!Files.isDirectory(towerDirectory)) {
      throw new IOException("tower directory " + towerDirectory + " does not exist");
    }
    Lock l = lock.readLock();
    l.lock();
    try {
      checkOpen();
      Map<String, FloatTensor> weights = weightsUnlocked();
      // Encoder weights still equal to the pre-trained ones are stored as a reference to them.
      EncoderBase reference =
          base != null && base.digest().equals(EncoderBase.digestOf(weights)) ? base : null;
      if (reference != null) {
        weights.keySet().retainAll(TextEncoderBlock.PROJECTION);
      }
      Safetensors.write(towerDirectory.resolve(TextTowerFiles.WEIGHTS_FILE), weights);
      AtomicFiles.write(towerDirectory.resolve(TextTowerFiles.TOKENIZER_FILE), tokenizer.json());
      AtomicFiles.write(
          towerDirectory.resolve(TextTowerFiles.CONFIG_FILE),
          TextTowerFiles.configJson(config, reference));
    } finally {
      l.unlock();
    }
  }

  private <T> T read(java.util.function.Supplier<T> action) {
    Lock l = lock.readLock();
    l.lock();
    try {
      checkOpen();
      return action.get();
    } finally {
      l.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("TransformerTextTower is closed");
    }
  }

  /** Frees the parameters and the tokenizer; idempotent; waits for running embedding calls. */
  @Override
  public void close() {
    Lock l = lock.writeLock();
    l.lock();
    try {
      if (!closed) {
        closed = true;
        manager.close();
        tokenizer.close();
      }
    } finally {
      l.unlock();
    }
  }
}
