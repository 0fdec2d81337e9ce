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
 *   <li>Progress and results: {@link dev.lit4j.training.StepMetrics}, the JSON Lines {@link
 *       dev.lit4j.training.MetricsLog} and {@link dev.lit4j.training.TrainingResult}. What the
 *       trainer evaluates on, and the metrics it reports, live in {@link dev.lit4j.eval}.
 * </ul>
 */
package dev.lit4j.training;
