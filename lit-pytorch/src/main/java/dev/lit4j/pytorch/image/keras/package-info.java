/**
 * An importer of TF.js / Keras <i>layers</i>-format models ({@code model.json} + binary weight
 * shards) into PyTorch through DJL: {@link dev.lit4j.pytorch.image.keras.KerasLayersModel} parses
 * the Keras functional topology, dequantises the weights, converts NHWC Keras kernels to NCHW and
 * runs the graph up to any layer, for inference, with batch normalisation folded into the
 * convolutions. {@link dev.lit4j.pytorch.image.keras.TrainableKerasModel} builds the same files for
 * training: every weight up to a chosen layer a trainable array under its Keras name, batch
 * normalisation unfolded and run per {@link dev.lit4j.pytorch.image.keras.ForwardMode}.
 *
 * <p>Supported layers: {@code InputLayer, ZeroPadding2D, Conv2D, DepthwiseConv2D,
 * BatchNormalization, ReLU, Activation, Add, AveragePooling2D, GlobalAveragePooling2D, Flatten,
 * Dense, Dropout}; any other class is rejected at load time with its layer named. The trainable
 * model supports all but {@code Dense} and {@code Dropout} up to its chosen layer.
 */
package dev.lit4j.pytorch.image.keras;
