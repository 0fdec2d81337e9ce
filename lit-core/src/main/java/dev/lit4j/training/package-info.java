/**
 * LiT-tuning: training a text tower against a locked image tower, from pre-computed image
 * embeddings. Backends implement {@link dev.lit4j.training.ContrastiveTrainer}.
 */
package dev.lit4j.training;
