/**
 * Similarity and contrastive-loss kernels on DJL {@code NDArray}s, and their lit-core adapters.
 *
 * <p>{@link dev.lit4j.pytorch.kernel.NdContrastiveLosses} is the trainer-facing API: scalar losses
 * that take part in autograd inside a {@code GradientCollector}, in a full form (the {@code B × B}
 * logits are held by autograd) and a memory-bounded chunked form whose gradients are computed
 * explicitly, chunk by chunk, and injected through a surrogate scalar. {@link
 * dev.lit4j.pytorch.kernel.PyTorchContrastiveLoss} and {@link
 * dev.lit4j.pytorch.kernel.PyTorchSimilarity} run the same kernels behind lit-core's {@code
 * FloatMatrix} API.
 *
 * <p>The mathematics, and the float64 reference every kernel is tested against, are lit-core's
 * ({@code dev.lit4j.loss}): softmax (CLIP: Radford et al. 2021; LiT: Zhai et al. 2022) and sigmoid
 * (SigLIP: Zhai et al. 2023) losses over logits {@code t · X Yᵀ}, with gradients with respect to
 * {@code log t}.
 */
package dev.lit4j.pytorch.kernel;
