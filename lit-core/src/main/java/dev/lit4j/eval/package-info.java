/**
 * Evaluation metrics: {@link dev.lit4j.eval.RetrievalMetrics} (Recall@1/5/10, mean and median rank
 * in both directions, several captions per image), {@link dev.lit4j.eval.ClassificationMetrics}
 * (top-1 and top-5 accuracy) with the {@link dev.lit4j.eval.ClassificationDiagnostics} it is read
 * against (class-balanced top-1, collapse onto one class, majority share, class-embedding cosine).
 */
package dev.lit4j.eval;
