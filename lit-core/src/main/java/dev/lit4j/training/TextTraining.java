package dev.lit4j.training;

/**
 * Which part of a pre-trained text tower LiT-tuning updates.
 *
 * <p>The LiT paper (Zhai et al. 2022, §4) compares a locked pre-trained text tower with an unlocked
 * one and finds unlocking better with billions of pairs; with the few thousand to tens of thousands
 * of pairs lit4j's shipped data holds, updating all 22 M parameters of MiniLM memorises the
 * captions, while training only the projection on top of the locked encoder generalises (see {@code
 * docs/RESULTS.md}).
 */
public enum TextTraining {
  /** Every parameter of the text tower trains (LiT's "U" text setting). */
  FULL,
  /**
   * Only the projection from the pooled encoder output to the image dimension trains; the encoder
   * is locked too, so its pooled output is computed once per distinct caption and cached, which
   * makes a step a few matrix products.
   */
  PROJECTION
}
