package dev.lit4j.loss;

/** Which contrastive loss a model is trained with; it also decides how class scores are formed. */
public enum LossKind {
  /** Softmax cross-entropy in both directions (CLIP, LiT); scores are a softmax over classes. */
  SOFTMAX,
  /** Pairwise sigmoid (SigLIP); scores are independent sigmoids {@code σ(t·cos + b)}. */
  SIGMOID
}
