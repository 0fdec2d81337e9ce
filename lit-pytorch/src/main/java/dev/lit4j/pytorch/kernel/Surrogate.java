package dev.lit4j.pytorch.kernel;

import ai.djl.ndarray.NDArray;

/**
 * Builds the scalar that injects precomputed gradients into autograd: {@code value + Σ g ⊙ (a −
 * sg(a))} over the inputs {@code a}. (DJL's {@code hasGradient()} is false for non-leaf arrays such
 * as a tower's output, so every input gets a term; for one that requires no gradient the term is a
 * constant zero, at {@code O(B·D)} cost.) {@code a − sg(a)} is exactly zero, so the value is
 * unchanged, and its derivative with respect to {@code a} is the identity, so {@code backward}
 * delivers {@code g} to {@code a}.
 */
final class Surrogate {
  private Surrogate() {}

  /**
   * Returns the surrogate, attached to {@code images}' manager.
   *
   * @param bias {@code null} for the softmax loss
   */
  static NDArray of(
      NdLossGradients g, NDArray images, NDArray texts, NDArray logTemperature, NDArray bias) {
    NDArray s = g.value().duplicate();
    s = plus(s, g.gradImages(), images);
    s = plus(s, g.gradTexts(), texts);
    s = plus(s, g.gradLogTemperature(), logTemperature);
    if (bias != null) {
      s = plus(s, g.gradBias(), bias);
    }
    return s;
  }

  private static NDArray plus(NDArray s, NDArray gradient, NDArray input) {
    NDArray frozen = input.stopGradient();
    NDArray zero = input.sub(frozen);
    NDArray weighted = zero.mul(gradient);
    NDArray term = weighted.sum();
    NDArray sum = s.add(term);
    // Autograd holds its own references to what backward needs; the Java handles can go.
    frozen.close();
    zero.close();
    weighted.close();
    term.close();
    s.close();
    return sum;
  }
}
