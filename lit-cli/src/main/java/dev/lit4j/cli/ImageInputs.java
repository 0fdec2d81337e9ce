package dev.lit4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Finds image files by extension: the images of a directory argument. */
final class ImageInputs {
  /** The extensions taken for images, lower case: the formats lit4j reads. */
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp");

  private ImageInputs() {}

  /** Returns whether {@code file}'s name ends in one of the {@link #EXTENSIONS}. */
  static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
  }

  /**
   * Replaces each directory among {@code paths} by the image files directly in it, sorted by name;
   * other paths stay as given (a missing file is reported when it is read).
   *
   * @throws IOException if a directory cannot be listed
   */
  static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          files
              .filter(f -> Files.isRegularFile(f) && isImage(f))
              .sorted(Comparator.comparing(Path::toString))
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Returns the image files under {@code dir}, at any depth, as paths relative to it, sorted.
   *
   * @throws IOException if the tree cannot be walked
   */
  static List<Path> walk(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f) && isImage(f))
          .map(dir::relativize)
          .sorted(Comparator.comparing(ImageInputs::id))
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Returns a relative path with {@code /} separators: the id of an image embedded from a tree. */
  static String id(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }
}
