/**
 * Locked image towers on PyTorch (DJL): {@link dev.lit4j.pytorch.image.MobileNetV2Tower}, the
 * shipped default (nsfwjs MobileNetV2 imported from TF.js layers format, globally pooled at {@code
 * block_13_expand_relu}), and {@link dev.lit4j.pytorch.image.TorchScriptImageTower}, any
 * TorchScript image model. Both are inference-only, L2-normalise their output and register {@link
 * dev.lit4j.spi.ImageTowerFormat} providers so model directories can reference them.
 */
package dev.lit4j.pytorch.image;
