/**
 * The two towers of a LiT model and the model that joins them.
 *
 * <ul>
 *   <li>{@link dev.lit4j.model.ImageTower}: pre-trained and <b>locked</b> (Zhai et al. 2022): it
 *       only embeds; no method trains it.
 *   <li>{@link dev.lit4j.model.TextTower}: trained by a {@link
 *       dev.lit4j.training.ContrastiveTrainer} so its embeddings land next to the image embeddings
 *       of matching captions.
 *   <li>{@link dev.lit4j.model.LitModel}: both towers plus the learned {@link
 *       dev.lit4j.model.ScoreCalibration}, loadable from and savable to a model directory.
 * </ul>
 */
package dev.lit4j.model;
