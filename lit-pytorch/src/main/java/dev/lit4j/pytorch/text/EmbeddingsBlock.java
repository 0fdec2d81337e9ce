package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BERT's input embeddings: word + position + token-type (always type 0, as BERT and MiniLM see a
 * single segment), then LayerNorm. Input int64 ids {@code [B, T]}, output float32 {@code [B, T,
 * W]}. Stateless apart from its parameters; thread-safe for concurrent inference.
 */
final class EmbeddingsBlock extends AbstractBlock {
  private final Parameter word;
  private final Parameter position;
  private final Parameter tokenType;
  private final Parameter gamma;
  private final Parameter beta;
  private final int width;
  private final float eps;

  EmbeddingsBlock(TextTowerConfig config, TowerParameters registry) {
    width = config.width();
    eps = (float) config.layerNormEps();
    word =
        addParameter(
            registry.matrix("embeddings.word_embeddings.weight", config.vocabSize(), width));
    position =
        addParameter(
            registry.matrix("embeddings.position_embeddings.weight", config.maxPositions(), width));
    tokenType = addParameter(registry.matrix("embeddings.token_type_embeddings.weight", 2, width));
    gamma = addParameter(registry.gain("embeddings.LayerNorm.weight", width));
    beta = addParameter(registry.shift("embeddings.LayerNorm.bias", width));
  }

  /** Embeds ids {@code [B, T]} (int64) to {@code [B, T, W]}. */
  NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
    NDManager m = ids.getManager();
    long t = ids.getShape().get(1);
    // Lookups are written as embedding(indices, table) so results belong to the caller's manager,
    // not to the tower's: the first operand decides ownership.
    NDArray words = lookup(ps, ids, word, training);
    NDArray positions =
        lookup(ps, m.arange(0L, t, 1L, DataType.INT64).reshape(1, t), position, training);
    NDArray types = lookup(ps, m.zeros(new Shape(1, 1), DataType.INT64), tokenType, training);
    NDArray sum = words.add(positions).add(types);
    return LayerNorm.layerNorm(
            sum,
            new Shape(width),
            value(ps, gamma, sum, training),
            value(ps, beta, sum, training),
            eps)
        .singletonOrThrow();
  }

  private static NDArray lookup(ParameterStore ps, NDArray idx, Parameter table, boolean training) {
    return Embedding.embedding(idx, value(ps, table, idx, training), SparseFormat.DENSE)
        .singletonOrThrow();
  }

  static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return ps.getValue(p, like.getDevice(), training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(embed(ps, inputs.singletonOrThrow(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(width)};
  }
}
