package dev.lit4j.training;

import java.io.IOException;

/**
 * Fits a text tower to a locked image tower on image–text pairs (LiT, Zhai et al. 2022): the image
 * side is a set of pre-computed, L2-normalised image embeddings, so the image tower never runs
 * during training and gets no gradient.
 *
 * <p>Implementations hold native resources (the tower being trained, optimiser state) and are
 * closed with try-with-resources. Not thread-safe: one {@link #train} at a time.
 */
public interface ContrastiveTrainer extends AutoCloseable {

  /**
   * Trains on {@code data}, in memory ({@link PairedEmbeddings}) or streamed from disk ({@link
   * StoredPairs}), reading one batch at a time by index, and returns the outcome with its metrics.
   * Data that names the tower that computed its images ({@link TrainingPairs#imageIdentity()}, e.g.
   * read from a store) is trained only against that tower: embeddings of one tower are never saved
   * as a model that claims another.
   *
   * @param data the image embeddings and their captions
   * @return the steps taken, the final loss, the calibration and where the model was saved
   * @throws IllegalArgumentException if the data does not fit the trainer's configuration (for
   *     example a batch size larger than the data set, or images computed by another image tower
   *     than the trainer's), naming both values, before any step
   * @throws IOException if checkpoints or logs cannot be written
   * @throws TrainingInterruptedException if the JVM began shutting down (SIGTERM, Ctrl-C) during
   *     training: the trainer stopped at a step boundary and wrote a checkpoint first
   */
  TrainingResult train(TrainingPairs data) throws IOException;

  /**
   * Trains on pairs held in memory: {@link #train(TrainingPairs)}, kept so that calls written
   * against earlier versions compile unchanged.
   *
   * @param data the image embeddings and their captions
   * @return as {@link #train(TrainingPairs)}
   * @throws IOException as {@link #train(TrainingPairs)}
   */
  default TrainingResult train(PairedEmbeddings data) throws IOException {
    return train((TrainingPairs) data);
  }

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
