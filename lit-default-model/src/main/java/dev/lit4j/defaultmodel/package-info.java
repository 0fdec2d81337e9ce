/**
 * The default lit4j model, bundled as jar resources: add {@code dev.lit4j:lit-default-model} to the
 * class path and {@code LitModel.loadDefault()} and {@code ZeroShotClassifier.of(labels)} find it
 * through {@link dev.lit4j.defaultmodel.BundledDefaultModel}, a {@link
 * dev.lit4j.spi.DefaultModelProvider}.
 */
package dev.lit4j.defaultmodel;
