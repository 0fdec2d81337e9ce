package dev.lit4j.pytorch.text;

/** How the encoder's per-token outputs {@code [B, T, W]} are reduced to one vector per text. */
public enum Pooling {
  /**
   * Average over the non-padding tokens (attention mask 1), including {@code [CLS]} and {@code
   * [SEP]}: the sentence-transformers convention used by all-MiniLM-L6-v2.
   */
  MEAN,
  /** The output at position 0, the {@code [CLS]} token (BERT's convention). */
  CLS
}
