package dev.lit4j.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Image files training never saw, to measure an arm on: labelled sets for zero-shot classification
 * and, optionally, captioned images for retrieval. Files, not pixels, so that each arm embeds them
 * at its own resolution.
 *
 * <p>Immutable and thread-safe.
 *
 * @param zeroShot the labelled sets, at least one, with distinct names
 * @param retrieval captioned images for image ↔ text retrieval, if any
 */
public record HeldOutImages(List<Labelled> zeroShot, Optional<Captioned> retrieval) {

  /**
   * Copies and validates.
   *
   * @throws IllegalArgumentException if there is no zero-shot set or two share a name
   */
  public HeldOutImages {
    zeroShot = List.copyOf(zeroShot);
    Objects.requireNonNull(retrieval, "retrieval");
    if (zeroShot.isEmpty()) {
      throw new IllegalArgumentException("no zero-shot set; give at least one labelled set");
    }
    if (zeroShot.stream().map(Labelled::name).distinct().count() != zeroShot.size()) {
      throw new IllegalArgumentException(
          "zero-shot set names repeat: " + zeroShot.stream().map(Labelled::name).toList());
    }
  }

  /**
   * Labelled images for zero-shot classification.
   *
   * @param name the set's name in the metrics, e.g. {@code "tuxpaint"}
   * @param images the image files
   * @param classNames the class names the prompts are built from, at least two
   * @param trueClasses the true class of each image, an index into {@code classNames}
   */
  public record Labelled(
      String name, List<Path> images, List<String> classNames, int[] trueClasses) {
    /**
     * Copies and validates.
     *
     * @throws IllegalArgumentException if the set is empty, has fewer than two classes, the sizes
     *     differ or a class index is out of range (the index is named)
     */
    public Labelled {
      Objects.requireNonNull(name, "name");
      images = List.copyOf(images);
      classNames = List.copyOf(classNames);
      trueClasses = trueClasses.clone();
      if (images.isEmpty() || classNames.size() < 2) {
        throw new IllegalArgumentException(
            "set '"
                + name
                + "' has "
                + images.size()
                + " images and "
                + classNames.size()
                + " classes; it needs at least one image and two classes");
      }
      if (trueClasses.length != images.size()) {
        throw new IllegalArgumentException(
            "set '"
                + name
                + "': "
                + images.size()
                + " images but "
                + trueClasses.length
                + " labels");
      }
      for (int i = 0; i < trueClasses.length; i++) {
        if (trueClasses[i] < 0 || trueClasses[i] >= classNames.size()) {
          throw new IllegalArgumentException(
              "set '"
                  + name
                  + "': image "
                  + i
                  + " has class "
                  + trueClasses[i]
                  + ", expected 0 to "
                  + (classNames.size() - 1));
        }
      }
    }

    /** {@return a copy of the true classes} */
    @Override
    public int[] trueClasses() {
      return trueClasses.clone();
    }
  }

  /**
   * Captioned images for retrieval.
   *
   * @param name the set's name in the metrics
   * @param images the image files
   * @param captions the captions of each image, at least one each
   */
  public record Captioned(String name, List<Path> images, List<List<String>> captions) {
    /**
     * Copies and validates.
     *
     * @throws IllegalArgumentException if the set is empty or the sizes differ
     */
    public Captioned {
      Objects.requireNonNull(name, "name");
      images = List.copyOf(images);
      captions = captions.stream().map(List::copyOf).toList();
      if (images.isEmpty() || images.size() != captions.size()) {
        throw new IllegalArgumentException(
            "retrieval set '"
                + name
                + "' has "
                + images.size()
                + " images and "
                + captions.size()
                + " caption lists; it needs one list per image, at least one image");
      }
    }
  }
}
