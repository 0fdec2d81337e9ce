/**
 * Locked image towers on PyTorch (DJL): {@link dev.lit4j.pytorch.image.MobileNetV2Tower}, the
 * shipped default (nsfwjs MobileNetV2 imported from TF.js layers format, globally pooled at {@code
 * block_13_expand_relu}), and {@link dev.lit4j.pytorch.image.TorchScriptImageTower}, any
 * TorchScript image model. Both are inference-only, L2-normalise their output and register {@link
 * dev.lit4j.spi.ImageTowerFormat} providers so model directories can reference them. {@link
 * dev.lit4j.pytorch.image.TrainableMobileNetV2} is the default tower's network made trainable
 * (pre-trained or from scratch), for the ablation of unlocked image towers.
 */
package dev.lit4j.pytorch.image;
