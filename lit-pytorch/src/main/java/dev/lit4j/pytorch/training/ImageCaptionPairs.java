package dev.lit4j.pytorch.training;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Raw training data for {@link RawImageTrainer}: {@code N} images, as files or in memory, each with
 * one or more captions, addressed by index {@code 0 … N-1}. Images are decoded when a batch needs
 * them, so a data set of files costs only its paths and captions on the heap.
 *
 * <p>Immutable and thread-safe: the lists are copied, and in-memory images are copied when the
 * value is made, so changing the caller's images afterwards does not change the data.
 *
 * <pre>{@code
 * ImageCaptionPairs data = ImageCaptionPairs.ofFiles(
 *     List.of(Path.of("cat.jpg"), Path.of("dog.jpg")),
 *     List.of(List.of("a cat", "my cat"), List.of("a dog")));
 * }</pre>
 */
public final class ImageCaptionPairs {
  private final List<Path> files;
  private final List<BufferedImage> images;
  private final List<List<String>> captions;

  private ImageCaptionPairs(
      List<Path> files, List<BufferedImage> images, List<List<String>> captions) {
    this.files = files;
    this.images = images;
    this.captions = captions;
  }

  /**
   * Pairs image files with their captions. The files are read when training draws them (with {@link
   * ImageFiles#read(Path, int)}); {@link RawImageTrainer#train} checks that each exists before the
   * first step.
   *
   * @param files the image files, one per image
   * @param captions {@code captions.get(i)} are the captions of {@code files.get(i)}, at least one
   *     each, none blank
   * @return the pairs
   * @throws IllegalArgumentException if there are no images, the list sizes differ, or an image has
   *     no caption or a blank one (the image is named)
   */
  public static ImageCaptionPairs ofFiles(List<Path> files, List<List<String>> captions) {
    List<Path> f = List.copyOf(Objects.requireNonNull(files, "files"));
    return new ImageCaptionPairs(f, null, checkedCaptions(f.size(), captions, f::get));
  }

  /**
   * Pairs in-memory images with their captions; each image is copied.
   *
   * @param images the images, one per pair, of any {@link BufferedImage} type
   * @param captions {@code captions.get(i)} are the captions of {@code images.get(i)}, at least one
   *     each, none blank
   * @return the pairs
   * @throws IllegalArgumentException if there are no images, the list sizes differ, or an image has
   *     no caption or a blank one (the image is named)
   */
  public static ImageCaptionPairs ofImages(
      List<BufferedImage> images, List<List<String>> captions) {
    Objects.requireNonNull(images, "images");
    List<BufferedImage> copies = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      copies.add(copy(Objects.requireNonNull(image, "image")));
    }
    List<BufferedImage> i = List.copyOf(copies);
    return new ImageCaptionPairs(
        null, i, checkedCaptions(i.size(), captions, k -> "in-memory image " + k));
  }

  private static List<List<String>> checkedCaptions(
      int n, List<List<String>> captions, IntFunction<Object> name) {
    Objects.requireNonNull(captions, "captions");
    if (n == 0) {
      throw new IllegalArgumentException(
          "no images: training needs at least one image with its captions (and at least a"
              + " batch of them)");
    }
    if (captions.size() != n) {
      throw new IllegalArgumentException(
          n
              + " images but "
              + captions.size()
              + " caption lists; give one list of captions per image, in the same order");
    }
    List<List<String>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> mine = List.copyOf(Objects.requireNonNull(captions.get(i), "captions"));
      if (mine.isEmpty()) {
        throw new IllegalArgumentException(
            "image " + i + " (" + name.apply(i) + ") has no caption; give it at least one");
      }
      for (String c : mine) {
        if (c.isBlank()) {
          throw new IllegalArgumentException(
              "image " + i + " (" + name.apply(i) + ") has a blank caption; remove it");
        }
      }
      out.add(mine);
    }
    return List.copyOf(out);
  }

  private static BufferedImage copy(BufferedImage image) {
    return new BufferedImage(
        image.getColorModel(), image.copyData(null), image.isAlphaPremultiplied(), null);
  }

  /** {@return N, the number of images} */
  public int size() {
    return captions.size();
  }

  /**
   * {@return the captions of image {@code image}, at least one}
   *
   * @param image the image index, in {@code [0, size())}
   * @throws IndexOutOfBoundsException if {@code image} is out of range
   */
  public List<String> captions(int image) {
    return captions.get(image);
  }

  /** {@return the image files in index order, or an empty list when the images are in memory} */
  public List<Path> files() {
    return files == null ? List.of() : files;
  }

  /**
   * Decodes image {@code image}: a file is read subsampled so that its shorter side stays at least
   * {@code minShorterSide}; an in-memory image is returned as held (callers only read it).
   */
  BufferedImage read(int image, int minShorterSide) throws ImageReadException {
    return files == null ? images.get(image) : ImageFiles.read(files.get(image), minShorterSide);
  }

  @Override
  public String toString() {
    return "ImageCaptionPairs[" + size() + (files == null ? " in-memory" : " file") + " images]";
  }
}
