package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lit4j.pytorch.internal.NdScalars;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole text tower as one DJL block: {@link EmbeddingsBlock}, {@code N} {@link
 * EncoderLayerBlock}s, pooling over non-padding tokens ({@link Pooling}), the projection {@code
 * projection.weight [D, W]}, {@code projection.bias [D]}, and L2 normalisation.
 *
 * <p>Input {@code NDList(tokenIds [B, T] int64, attentionMask [B, T] int64)}, output {@code
 * NDList(embeddings [B, D] float32)}, unit rows. Thread-safe for concurrent inference.
 */
final class TextEncoderBlock extends AbstractBlock {
  /** Added to attention scores of padding keys: exp underflows to exactly 0 in float32. */
  static final float MASKED_SCORE = -1e9f;

  /** Floor of the norm in the final L2 normalisation, so a zero vector does not divide by 0. */
  static final float NORM_FLOOR = 1e-12f;

  /** Projection parameters: absent from pre-trained encoders and freshly initialised (LiT "LU"). */
  static final List<String> PROJECTION = List.of("projection.weight", "projection.bias");

  private final TextTowerConfig config;
  private final TowerParameters registry = new TowerParameters();
  private final EmbeddingsBlock embeddings;
  private final List<EncoderLayerBlock> layers = new ArrayList<>();
  private final Parameter projectionW;
  private final Parameter projectionB;

  TextEncoderBlock(TextTowerConfig config) {
    this.config = config;
    embeddings = addChildBlock("embeddings", new EmbeddingsBlock(config, registry));
    for (int i = 0; i < config.layers(); i++) {
      layers.add(addChildBlock("layer" + i, new EncoderLayerBlock(config, i, registry)));
    }
    projectionW =
        addParameter(registry.matrix(PROJECTION.get(0), config.outputDimension(), config.width()));
    projectionB = addParameter(registry.bias(PROJECTION.get(1), config.outputDimension()));
  }

  TowerParameters registry() {
    return registry;
  }

  /**
   * Runs the encoder and pools: {@code [B, T]} ids and mask to {@code [B, W]}, before the
   * projection.
   */
  NDArray pooled(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
    NDArray maskF = mask.toType(DataType.FLOAT32, false);
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    // 0 where the key is a token, MASKED_SCORE where it is padding; broadcast over heads/queries.
    NDArray maskBias = maskF.sub(1f).mul(-MASKED_SCORE).reshape(b, 1, 1, t);
    NDArray x = embeddings.embed(ps, ids, training);
    for (EncoderLayerBlock layer : layers) {
      x = layer.apply(ps, x, maskBias, training);
    }
    return switch (config.pooling()) {
      case CLS -> x.get(new NDIndex(":, 0, :"));
      case MEAN -> {
        NDArray m = maskF.expandDims(2);
        yield x.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
      }
    };
  }

  /** Projects pooled features {@code [B, W]} to L2-normalised {@code [B, D]}. */
  NDArray project(ParameterStore ps, NDArray pooled, boolean training) {
    NDArray y =
        Linear.linear(
                pooled,
                EmbeddingsBlock.value(ps, projectionW, pooled, training),
                EmbeddingsBlock.value(ps, projectionB, pooled, training))
            .singletonOrThrow();
    NDArray norm = y.norm(new int[] {1}, true);
    // Not maximum(NORM_FLOOR): autograd keeps the operand (see NdScalars).
    return y.div(norm.maximum(NdScalars.of(norm, NORM_FLOOR)));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(1);
    return new NDList(project(ps, pooled(ps, ids, mask, training), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.outputDimension())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // Arrays are assigned by TowerParameters; this only turns on gradients, for DJL trainers.
    for (var child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes);
    }
  }
}
