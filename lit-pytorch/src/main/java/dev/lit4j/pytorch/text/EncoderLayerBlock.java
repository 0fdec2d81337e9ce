package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lit4j.pytorch.internal.NdScalars;

/**
 * One post-LayerNorm BERT encoder layer (Vaswani et al. 2017; Devlin et al. 2019): {@code h = LN(x
 * + MHSA(x))}, {@code y = LN(h + W2·GELU(W1·h + b1) + b2)}, GELU in its exact erf form as in BERT.
 * Padding keys are excluded from attention by adding a large negative number to their scores (the
 * additive mask of shape {@code [B, 1, 1, T]}), so outputs at real tokens do not depend on how much
 * padding follows. No dropout (deterministic training; LiT's text towers use none).
 *
 * <p>Thread-safe for concurrent inference.
 */
final class EncoderLayerBlock extends AbstractBlock {
  private final Parameter qW;
  private final Parameter qB;
  private final Parameter kW;
  private final Parameter kB;
  private final Parameter vW;
  private final Parameter vB;
  private final Parameter oW;
  private final Parameter oB;
  private final Parameter ln1G;
  private final Parameter ln1B;
  private final Parameter f1W;
  private final Parameter f1B;
  private final Parameter f2W;
  private final Parameter f2B;
  private final Parameter ln2G;
  private final Parameter ln2B;
  private final int width;
  private final int heads;
  private final float scale;
  private final float eps;

  EncoderLayerBlock(TextTowerConfig config, int index, TowerParameters r) {
    width = config.width();
    heads = config.heads();
    scale = (float) (1.0 / Math.sqrt(config.headWidth()));
    eps = (float) config.layerNormEps();
    int f = config.ffnWidth();
    String p = "encoder.layer." + index + ".";
    qW = addParameter(r.matrix(p + "attention.self.query.weight", width, width));
    qB = addParameter(r.bias(p + "attention.self.query.bias", width));
    kW = addParameter(r.matrix(p + "attention.self.key.weight", width, width));
    kB = addParameter(r.bias(p + "attention.self.key.bias", width));
    vW = addParameter(r.matrix(p + "attention.self.value.weight", width, width));
    vB = addParameter(r.bias(p + "attention.self.value.bias", width));
    oW = addParameter(r.matrix(p + "attention.output.dense.weight", width, width));
    oB = addParameter(r.bias(p + "attention.output.dense.bias", width));
    ln1G = addParameter(r.gain(p + "attention.output.LayerNorm.weight", width));
    ln1B = addParameter(r.shift(p + "attention.output.LayerNorm.bias", width));
    f1W = addParameter(r.matrix(p + "intermediate.dense.weight", f, width));
    f1B = addParameter(r.bias(p + "intermediate.dense.bias", f));
    f2W = addParameter(r.matrix(p + "output.dense.weight", width, f));
    f2B = addParameter(r.bias(p + "output.dense.bias", width));
    ln2G = addParameter(r.gain(p + "output.LayerNorm.weight", width));
    ln2B = addParameter(r.shift(p + "output.LayerNorm.bias", width));
  }

  /**
   * Applies the layer.
   *
   * @param x {@code [B, T, W]}
   * @param maskBias {@code [B, 1, 1, T]}: 0 for tokens, a large negative number for padding
   * @return {@code [B, T, W]}
   */
  NDArray apply(ParameterStore ps, NDArray x, NDArray maskBias, boolean training) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    long dh = width / heads;
    // [B, T, W] -> [B, H, T, dh]
    NDArray q = linear(ps, x, qW, qB, training).reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    NDArray k = linear(ps, x, kW, kB, training).reshape(b, t, heads, dh).transpose(0, 2, 3, 1);
    NDArray v = linear(ps, x, vW, vB, training).reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
    NDArray qk = q.matMul(k);
    // Not mul(scale): autograd keeps the scalar, and DJL's is freed with its Java buffer.
    NDArray scores = qk.mul(NdScalars.of(qk, scale)).add(maskBias);
    NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, width);
    NDArray h = norm(ps, x.add(linear(ps, context, oW, oB, training)), ln1G, ln1B, training);
    NDArray ffn =
        linear(ps, Activation.gelu(linear(ps, h, f1W, f1B, training)), f2W, f2B, training);
    return norm(ps, h.add(ffn), ln2G, ln2B, training);
  }

  private static NDArray linear(
      ParameterStore ps, NDArray x, Parameter w, Parameter bias, boolean training) {
    return Linear.linear(
            x,
            EmbeddingsBlock.value(ps, w, x, training),
            EmbeddingsBlock.value(ps, bias, x, training))
        .singletonOrThrow();
  }

  private NDArray norm(ParameterStore ps, NDArray x, Parameter g, Parameter s, boolean training) {
    return LayerNorm.layerNorm(
            x,
            new Shape(width),
            EmbeddingsBlock.value(ps, g, x, training),
            EmbeddingsBlock.value(ps, s, x, training),
            eps)
        .singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
