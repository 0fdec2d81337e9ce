/**
 * An importer of TF.js / Keras <i>layers</i>-format models ({@code model.json} + binary weight
 * shards) into PyTorch through DJL: {@link dev.lit4j.pytorch.image.keras.KerasLayersModel} parses
 * the Keras functional topology, dequantises the weights, converts NHWC Keras kernels to NCHW and
 * runs the graph up to any layer.
 *
 * <p>Supported layers: {@code InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D,
 * BatchNormalization, ReLU, Activation, Add, AveragePooling2D, GlobalAveragePooling2D, Flatten,
 * Dense, Dropout}; any other class is rejected at load time with its layer named.
 */
package dev.lit4j.pytorch.image.keras;
