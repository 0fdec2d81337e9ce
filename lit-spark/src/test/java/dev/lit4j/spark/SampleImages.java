package dev.lit4j.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A manifest of real images for the tests: the four sample PNGs of {@code lit-examples/samples}, a
 * corrupt PNG (a sample cut in half) and a path that does not exist.
 */
final class SampleImages {
  /** The ids of the images that can be read, in manifest order. */
  static final List<String> GOOD =
      List.of("fashion-mnist-bag", "fashion-mnist-sneaker", "openclipart-dog", "openclipart-house");

  private SampleImages() {}

  /** Writes {@code dir/img/*.png} and {@code dir/images.csv} (relative paths); returns the CSV. */
  static Path manifest(Path dir) throws IOException {
    Path img = Files.createDirectories(dir.resolve("img"));
    Path samples = Path.of("..", "lit-examples", "samples");
    StringBuilder csv = new StringBuilder("path,id\n");
    for (String id : GOOD) {
      Files.copy(samples.resolve(id + ".png"), img.resolve(id + ".png"));
      csv.append("img/").append(id).append(".png,").append(id).append('\n');
    }
    byte[] dog = Files.readAllBytes(samples.resolve("openclipart-dog.png"));
    Files.write(img.resolve("corrupt.png"), Arrays.copyOf(dog, dog.length / 2));
    csv.append("img/corrupt.png,corrupt\n");
    csv.append("img/missing.png,missing\n");
    Path manifest = dir.resolve("images.csv");
    Files.writeString(manifest, csv, StandardCharsets.UTF_8);
    return manifest;
  }
}
