package dev.lit4j.training;

/**
 * Whether a trainable map is put on top of the locked image embeddings during LiT-tuning.
 *
 * <p>LiT's best setting keeps the whole image tower locked ({@link #NONE}); a trainable linear head
 * corresponds to the paper's "locked tower with a trainable head" ablation (Zhai et al. 2022, §3).
 */
public enum ImageHead {
  /** Image embeddings are used as they are (LiT's "Lu"/"LU" settings). */
  NONE,
  /**
   * A trainable square matrix {@code W}, initialised to the identity, maps each image embedding
   * {@code x} to {@code normalise(W x)}.
   */
  LINEAR
}
