package dev.lit4j.pytorch.training;

/**
 * What {@link RawImageTrainer} does with the image tower, for the image-tower ablation of LiT (Zhai
 * et al. 2022, Table 1 and Fig. 3: {@code L} locked, {@code U} unlocked; whether the tower starts
 * pre-trained or random is the tower's own {@link
 * dev.lit4j.pytorch.image.TrainableMobileNetV2.Init}).
 */
public enum ImageTraining {
  /**
   * The image tower runs in inference mode (moving statistics) outside any gradient collector; its
   * parameters are not in the optimiser and its weights and buffers stay bit-identical. The same
   * training as the pre-computed-embedding path of {@link PyTorchContrastiveTrainer}, which is the
   * fast way to train a locked tower.
   */
  LOCKED,
  /**
   * The image tower runs in training mode (batch statistics, moving statistics updated) under the
   * same gradient collector as the text tower, and every one of its parameters is clipped and
   * updated by the same AdamW, learning rate and schedule.
   */
  UNLOCKED
}
