/**
 * Weights on the Java heap and in files: {@link dev.lit4j.pytorch.weights.FloatTensor} (a shape and
 * its float32 values, no engine memory) and {@link dev.lit4j.pytorch.weights.Safetensors} (the
 * safetensors file format), shared by the text towers, the trainer's checkpoints and the
 * pre-trained encoder modules such as {@code lit-minilm}.
 */
package dev.lit4j.pytorch.weights;
