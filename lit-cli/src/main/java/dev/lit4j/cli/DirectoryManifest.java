package dev.lit4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The manifest of a directory tree of images, for {@link dev.lit4j.store.EmbeddingStoreBuilder}: a
 * CSV {@code path,id} with each image's absolute path and, as its id, its path relative to the
 * directory with {@code /} separators. Its bytes depend only on the directory's absolute path and
 * the images in it, so a resumed build finds the manifest checksum it started with.
 */
final class DirectoryManifest {
  private DirectoryManifest() {}

  /**
   * Writes the manifest of {@code dir} into a temporary file and returns it; the caller deletes it.
   *
   * @throws CliException if the directory holds no image, or an image's name holds a line break
   * @throws IOException if the tree cannot be walked or the file written
   */
  static Path write(Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    List<Path> images = ImageInputs.walk(root);
    if (images.isEmpty()) {
      throw new CliException(
          "no image files ("
              + String.join(", ", ImageInputs.EXTENSIONS.stream().sorted().toList())
              + ") in "
              + dir
              + " or below it");
    }
    StringBuilder csv = new StringBuilder("path,id\n");
    for (Path relative : images) {
      String path = root.resolve(relative).toString();
      if (path.contains("\n") || path.contains("\r")) {
        throw new CliException(
            "the image file name "
                + path
                + " holds a line break; rename it, or list the images in a"
                + " .jsonl manifest");
      }
      csv.append(quote(path)).append(',').append(quote(ImageInputs.id(relative))).append('\n');
    }
    Path manifest = Files.createTempFile("lit-embed-", ".csv");
    Files.writeString(manifest, csv, StandardCharsets.UTF_8);
    return manifest;
  }

  /** Quotes a CSV field when it holds a comma or a quote (RFC 4180). */
  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
