/**
 * Readers of the public image–text collections the examples train and evaluate on, all installed
 * from Debian packages (nothing is downloaded at run time):
 *
 * <ul>
 *   <li>{@link dev.lit4j.examples.data.OpenClipart}: {@code openclipart-png} + {@code
 *       openclipart-svg} (public domain) — clip art whose SVG sources carry a title and subject
 *       keywords; the training pairs.
 *   <li>{@link dev.lit4j.examples.data.TuxPaintStamps}: {@code tuxpaint-stamps-default} (GPL-2) —
 *       stamps in 15 category folders, each with an English caption; the zero-shot and retrieval
 *       evaluation set that training never sees.
 * </ul>
 */
package dev.lit4j.examples.data;
