package dev.lit4j.pytorch.text;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * A tokenized, right-padded batch: {@code tokenIds} and {@code attentionMask}, both int64 of shape
 * {@code [B, T]} where {@code T} is the longest sequence in the batch (at most the tokenizer's
 * {@code maxLength}). The mask is 1 for real tokens (special tokens included) and 0 for padding.
 *
 * <p>The arrays belong to the {@link ai.djl.ndarray.NDManager} passed to {@link
 * TextTokenizer#tokenize}; closing that manager frees them.
 *
 * @param tokenIds token ids, int64 {@code [B, T]}; padding positions hold id 0
 * @param attentionMask int64 {@code [B, T]} of 1 (token) and 0 (padding)
 */
public record TokenBatch(NDArray tokenIds, NDArray attentionMask) {
  /**
   * @param tokenIds token ids, int64 {@code [B, T]}; padding positions hold id 0
   * @param attentionMask int64 {@code [B, T]} of 1 (token) and 0 (padding)
   * @throws IllegalArgumentException if the two shapes differ or are not rank 2
   */
  public TokenBatch {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(attentionMask, "attentionMask");
    if (tokenIds.getShape().dimension() != 2
        || !tokenIds.getShape().equals(attentionMask.getShape())) {
      throw new IllegalArgumentException(
          "tokenIds and attentionMask must both be [B, T]; got "
              + tokenIds.getShape()
              + " and "
              + attentionMask.getShape());
    }
  }

  /** {@return the batch size {@code B}} */
  public int size() {
    return Math.toIntExact(tokenIds.getShape().get(0));
  }

  /** {@return the padded length {@code T}} */
  public int length() {
    return Math.toIntExact(tokenIds.getShape().get(1));
  }
}
