/**
 * Evaluation metrics: {@link dev.lit4j.eval.RetrievalMetrics} (Recall@1/5/10, mean and median rank
 * in both directions, several captions per image) and {@link dev.lit4j.eval.ClassificationMetrics}
 * (top-1 and top-5 accuracy).
 */
package dev.lit4j.eval;
