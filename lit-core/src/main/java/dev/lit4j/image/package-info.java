/**
 * Images on their way into an image tower.
 *
 * <ul>
 *   <li>{@link dev.lit4j.image.ImageFiles}: robust reading of image files (PNG, JPEG including
 *       CMYK/YCCK and progressive, GIF, BMP, WebP) into {@link java.awt.image.BufferedImage}s, with
 *       decode-time subsampling of very large images and typed errors ({@link
 *       dev.lit4j.image.ImageReadException}) that name the file and the reason.
 * </ul>
 */
package dev.lit4j.image;
