/**
 * Images in memory: turning a decoded {@link java.awt.image.BufferedImage} into the float tensor an
 * image tower expects ({@link dev.lit4j.image.ImagePreprocessing}, {@link
 * dev.lit4j.image.ImageTensor}). Pure Java; no native code.
 */
package dev.lit4j.image;
