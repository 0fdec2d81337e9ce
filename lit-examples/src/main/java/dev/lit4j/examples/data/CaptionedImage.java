package dev.lit4j.examples.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image file with its captions and category.
 *
 * @param id a stable identifier, unique within its collection (the path relative to the root)
 * @param image the image file
 * @param category the collection's category of the image (e.g. {@code "animals"})
 * @param captions one or more non-blank captions
 */
public record CaptionedImage(String id, Path image, String category, List<String> captions) {
  /**
   * @throws IllegalArgumentException if there is no caption or a caption is blank
   */
  public CaptionedImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(category, "category");
    captions = List.copyOf(captions);
    if (captions.isEmpty()) {
      throw new IllegalArgumentException("image " + id + " has no caption");
    }
    for (String c : captions) {
      if (c.isBlank()) {
        throw new IllegalArgumentException("image " + id + " has a blank caption");
      }
    }
  }
}
