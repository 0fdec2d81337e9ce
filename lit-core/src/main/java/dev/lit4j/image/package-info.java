/**
 * Images on their way into an image tower. Pure Java; no native code.
 *
 * <ul>
 *   <li>{@link dev.lit4j.image.ImageFiles}: robust reading of image files (PNG, JPEG including
 *       CMYK/YCCK and progressive, GIF, BMP, WebP) into {@link java.awt.image.BufferedImage}s, with
 *       decode-time subsampling of very large images, a pixel limit checked against the header
 *       before decoding (decompression bombs are refused, not decoded), the EXIF orientation
 *       applied (phone photos come out upright), and typed errors ({@link
 *       dev.lit4j.image.ImageReadException}) that name the file and the reason.
 *   <li>{@link dev.lit4j.image.ImagePreprocessing} and {@link dev.lit4j.image.ImageTensor}: turning
 *       a decoded image into the float tensor an image tower expects.
 * </ul>
 */
package dev.lit4j.image;
