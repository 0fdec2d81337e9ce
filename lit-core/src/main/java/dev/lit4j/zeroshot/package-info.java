/**
 * Zero-shot image classification (LiT, Zhai et al. 2022; CLIP, Radford et al. 2021): class labels
 * become prompts ({@link dev.lit4j.zeroshot.PromptTemplates}), the text tower embeds them into
 * cached class embeddings, and {@link dev.lit4j.zeroshot.ZeroShotClassifier} scores images against
 * them, returning {@link dev.lit4j.zeroshot.ClassScores} sorted best first.
 */
package dev.lit4j.zeroshot;
