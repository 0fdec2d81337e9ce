/**
 * Contrastive losses over a batch of {@code B} image–text pairs, with analytic gradients.
 *
 * <ul>
 *   <li>Softmax (CLIP: Radford et al. 2021; LiT: Zhai et al. 2022): {@code 0.5 (CE(z, I) + CE(zᵀ,
 *       I))} with logits {@code z = t · X Yᵀ}.
 *   <li>Sigmoid (SigLIP: Zhai et al. 2023): {@code −(1/B) Σᵢⱼ log σ(sᵢⱼ (t xᵢ·yⱼ + b))}, {@code sᵢⱼ
 *       = +1} on the diagonal and {@code −1} elsewhere.
 * </ul>
 *
 * <p>The temperature {@code t} is parameterised by its logarithm, as in the reference
 * implementations, so gradients are with respect to {@code log t}.
 */
package dev.lit4j.loss;
