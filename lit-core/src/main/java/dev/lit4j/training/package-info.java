/**
 * LiT-tuning: training a text tower against a locked image tower, from pre-computed image
 * embeddings. Backends implement {@link dev.lit4j.training.ContrastiveTrainer}; everything here is
 * engine-agnostic.
 *
 * <ul>
 *   <li>Data: {@link dev.lit4j.training.PairedEmbeddings} (image embeddings with captions, also
 *       from an embedding store and a captions file) and {@link dev.lit4j.training.EpochPlan} (the
 *       seeded per-epoch shuffle and caption draw).
 *   <li>Configuration: {@link dev.lit4j.training.TrainerConfig} with {@link
 *       dev.lit4j.training.TrainingLength} and {@link dev.lit4j.training.ImageHead}; {@link
 *       dev.lit4j.training.LearningRateSchedule} (linear warmup, cosine decay).
 *   <li>Evaluation and metrics: {@link dev.lit4j.training.EvaluationData} (named {@link
 *       dev.lit4j.training.NamedZeroShotSet}s of {@link dev.lit4j.training.ZeroShotSet}s, each with
 *       its prompt templates, and a {@link dev.lit4j.training.NamedRetrievalSet}), {@link
 *       dev.lit4j.training.StepMetrics}, {@link dev.lit4j.training.EvaluationMetrics} (a {@link
 *       dev.lit4j.training.ZeroShotSetMetrics} per set, a {@link
 *       dev.lit4j.training.RetrievalSetMetrics}) and the JSON Lines {@link
 *       dev.lit4j.training.MetricsLog}.
 * </ul>
 */
package dev.lit4j.training;
