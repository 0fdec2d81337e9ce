/**
 * The trainable text tower of LiT (Zhai et al. 2022): a BERT-style transformer encoder built from
 * DJL blocks on the PyTorch engine, with a HuggingFace tokenizer, mean or CLS pooling and a linear
 * projection into the image tower's embedding space.
 *
 * <p>Entry points: {@link dev.lit4j.pytorch.text.TransformerTextTower} (embed, train through {@link
 * dev.lit4j.pytorch.text.TransformerTextTower#forward}, save), {@link
 * dev.lit4j.pytorch.text.TextTowerConfig} (architecture), {@link
 * dev.lit4j.pytorch.text.TextTokenizer} (tokenizer.json wrapper) and {@link
 * dev.lit4j.pytorch.text.TransformerTextTowerFormat} (the {@code lit4j-transformer-text} on-disk
 * format: {@code text-tower.json}, {@code text-tower.safetensors}, {@code tokenizer.json}).
 */
package dev.lit4j.pytorch.text;
