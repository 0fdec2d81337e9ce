/**
 * LiT-tuning on PyTorch: {@link dev.lit4j.pytorch.training.PyTorchContrastiveTrainer} trains a
 * {@link dev.lit4j.pytorch.text.TransformerTextTower} against pre-computed embeddings of a locked
 * image tower (Zhai et al. 2022), with the softmax (CLIP) or sigmoid (SigLIP) loss, full or
 * chunked.
 *
 * <p>Pieces, all package-private except the trainer and its exception: {@code ContrastiveStep} (one
 * forward/backward/clip/update step), {@code AdamW} (the optimiser, on NDArrays, checkpointable
 * bit-exactly), {@code Checkpoint} (atomic checkpoint directories in safetensors and JSON), {@code
 * TrainingEvaluator} (zero-shot accuracy and Recall@K with lit-core's classifier and metrics) and
 * {@code CurvePlot} (the PNG of the training curves, via XChart).
 *
 * <h2>Devices</h2>
 *
 * A step runs where the text tower's parameters live; with a CUDA build of libtorch on the class
 * path a tower is created on GPU 0 and training runs there. Several GPUs are not used yet. The
 * design for them (not implemented): replicate the tower's parameters on each GPU, run the text
 * forward of {@code B / G} captions per GPU, gather the {@code [B, D]} text embeddings onto one GPU
 * with a differentiable copy ({@code toDevice}), compute the loss there over all {@code B} pairs
 * (chunked if needed), back-propagate (the copies carry each shard's gradient home), sum the
 * replicas' gradients onto the main copy, update it and broadcast the new values.
 */
package dev.lit4j.pytorch.training;
