package dev.lit4j.examples.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image file with its captions, category and concept group.
 *
 * @param id a stable identifier, unique within its collection (the path relative to the root)
 * @param image the image file
 * @param category the collection's category of the image (e.g. {@code "animals"}, {@code "animal
 *     mammal"}), usable as a zero-shot class
 * @param group the concept the image depicts, shared by every image of the same thing in any style
 *     (e.g. an emoji's code points without skin tones), so that a validation split by group does
 *     not leak; for collections without such a key, the file name without extension
 * @param captions one or more non-blank captions
 */
public record CaptionedImage(
    String id, Path image, String category, String group, List<String> captions) {
  /**
   * @throws IllegalArgumentException if there is no caption, a caption is blank, or the group is
   *     blank
   */
  public CaptionedImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(group, "group");
    captions = List.copyOf(captions);
    if (group.isBlank()) {
      throw new IllegalArgumentException("image " + id + " has a blank group");
    }
    if (captions.isEmpty()) {
      throw new IllegalArgumentException("image " + id + " has no caption");
    }
    for (String c : captions) {
      if (c.isBlank()) {
        throw new IllegalArgumentException("image " + id + " has a blank caption");
      }
    }
  }

  /** An image whose group is its file name without extension ({@link #stem(Path)}). */
  public CaptionedImage(String id, Path image, String category, List<String> captions) {
    this(id, image, category, stem(image), captions);
  }

  /** Returns the file name of {@code path} without its last extension. */
  static String stem(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
