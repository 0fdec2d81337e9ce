/**
 * Evaluation: what a model is measured on and what it scores.
 *
 * <ul>
 *   <li>Data: {@link dev.lit4j.eval.EvaluationData} (named {@link dev.lit4j.eval.NamedZeroShotSet}s
 *       of {@link dev.lit4j.eval.ZeroShotSet}s, each with its prompt templates, and a {@link
 *       dev.lit4j.eval.NamedRetrievalSet}), used by the trainer and by standalone evaluation.
 *   <li>Classification: {@link dev.lit4j.eval.ClassificationMetrics} (top-1 and top-5 accuracy)
 *       with the {@link dev.lit4j.eval.ClassificationDiagnostics} it is read against
 *       (class-balanced top-1, collapse onto one class, majority share, class-embedding cosine),
 *       and the labelled baseline {@link dev.lit4j.eval.LinearProbe} ({@link
 *       dev.lit4j.eval.CrossValidatedAccuracy}).
 *   <li>Results: {@link dev.lit4j.eval.EvaluationMetrics} (a {@link
 *       dev.lit4j.eval.ZeroShotSetMetrics} per set, a {@link dev.lit4j.eval.RetrievalSetMetrics}).
 *       Retrieval recall itself is computed in {@link dev.lit4j.retrieval}.
 * </ul>
 */
package dev.lit4j.eval;
