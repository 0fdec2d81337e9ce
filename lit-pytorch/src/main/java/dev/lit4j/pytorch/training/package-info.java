/**
 * LiT-tuning on PyTorch: {@link dev.lit4j.pytorch.training.PyTorchContrastiveTrainer} trains a
 * {@link dev.lit4j.pytorch.text.TransformerTextTower} against pre-computed embeddings of a locked
 * image tower (Zhai et al. 2022), with the softmax (CLIP) or sigmoid (SigLIP) loss, full or
 * chunked. {@link dev.lit4j.pytorch.training.RawImageTrainer} trains from raw images ({@link
 * dev.lit4j.pytorch.training.ImageCaptionPairs}) through a {@link
 * dev.lit4j.pytorch.image.TrainableMobileNetV2}, locked or unlocked ({@link
 * dev.lit4j.pytorch.training.ImageTraining}), with the same step, for LiT's image-tower ablation.
 *
 * <p>Pieces, all package-private except the trainer and its exception: {@code ContrastiveStep} (one
 * forward/backward/clip/update step), {@code AdamW} (the optimiser, on NDArrays, checkpointable
 * bit-exactly), {@code Checkpoint} (atomic checkpoint directories in safetensors and JSON), {@code
 * TrainingEvaluator} (zero-shot accuracy and Recall@K with lit-core's classifier and metrics); the
 * PNG of the training curves comes from {@link dev.lit4j.plot.TrainingCurves} in {@code lit-plot}.
 *
 * <h2>Devices</h2>
 *
 * A step runs where the text tower's parameters live; with a CUDA build of libtorch on the class
 * path a tower is created on GPU 0 and training runs there. With several devices ({@code
 * PyTorchContrastiveTrainer.Builder#devices}) the step is data-parallel with full-batch negatives
 * ({@code TransformerTrainable}, {@code ReplicaParameters}, {@code TextForward}): the first device
 * embeds its share of the captions on the live parameters, every other device embeds its share on
 * copies of them made for the step, the {@code [B, D]} text embeddings are gathered onto the first
 * device, and the loss is computed there once over all {@code B} pairs (chunked if configured).
 * DJL's copies between devices are outside autograd, so the gathered remote shards are leaves:
 * after the loss's backward pass each leaf's gradient is carried back through its replica's forward
 * pass and the replica's parameter gradients are added into the main ones, which are then clipped
 * and updated once.
 */
package dev.lit4j.pytorch.training;
