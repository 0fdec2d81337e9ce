/**
 * Readers of the public image–text collections the examples train and evaluate on, all installed
 * from Debian or npm packages (nothing is downloaded at run time), and the builder of the shipped
 * embeddings ({@link dev.lit4j.examples.data.PrepareShippedData}, loaded by {@link
 * dev.lit4j.examples.data.ShippedData}):
 *
 * <ul>
 *   <li>{@link dev.lit4j.examples.data.OpenClipart}: {@code openclipart-png} + {@code
 *       openclipart-svg} (public domain) — clip art whose SVG sources carry a title and subject
 *       keywords; training pairs.
 *   <li>{@link dev.lit4j.examples.data.EmojiDatasource}: npm {@code emoji-datasource-google} (Noto,
 *       Apache-2.0) and {@code -twitter} (Twemoji, CC BY 4.0) — 64 px emoji; training pairs. The
 *       Apple and Facebook styles are readable but not shipped (their images are not licensed for
 *       redistribution).
 *   <li>{@link dev.lit4j.examples.data.OpenMoji}: npm {@code openmoji} (CC BY-SA 4.0) — flat emoji,
 *       SVGs rendered to PNG; training pairs.
 *   <li>{@link dev.lit4j.examples.data.FluentEmoji3d}: npm {@code @lobehub/fluent-emoji-3d} (MIT) —
 *       3D-rendered emoji (WebP); training pairs.
 *   <li>{@link dev.lit4j.examples.data.EmojiCatalog}: OpenMoji's {@code openmoji.json}, which gives
 *       every emoji style the same annotation, keywords, category and group.
 *   <li>{@link dev.lit4j.examples.data.AugmentedViews}: pre-computed augmented views of training
 *       images (crop, mirror, background colour, greyscale, Fashion-MNIST-like white on black).
 *   <li>{@link dev.lit4j.examples.data.TuxPaintStamps}: {@code tuxpaint-stamps-default} (GPL-2) —
 *       stamps in 15 category folders, each with an English caption; the zero-shot and retrieval
 *       evaluation set that training never sees.
 *   <li>{@link dev.lit4j.examples.data.FashionMnist} (with {@link
 *       dev.lit4j.examples.data.IdxFile}): {@code dataset-fashion-mnist} (MIT) — a class-balanced
 *       test subset, a second zero-shot evaluation set.
 * </ul>
 */
package dev.lit4j.examples.data;
