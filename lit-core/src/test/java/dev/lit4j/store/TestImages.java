package dev.lit4j.store;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/** Writes small real image files, broken files and manifests for store tests. */
final class TestImages {
  private TestImages() {}

  /** Writes a {@code w × h} image of one colour in the given ImageIO format. */
  static Path image(Path file, int w, int h, Color colour, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, colour.getRGB());
      }
    }
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(img, format, file.toFile())) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes a PNG cut off after 60 bytes. */
  static Path truncatedPng(Path file) throws IOException {
    Path full = image(file.resolveSibling("full-" + file.getFileName()), 32, 32, Color.RED, "png");
    byte[] bytes = Files.readAllBytes(full);
    Files.delete(full);
    return Files.write(file, Arrays.copyOf(bytes, 60));
  }

  /** Writes a text file (give it an image extension to test content sniffing). */
  static Path text(Path file) throws IOException {
    return Files.writeString(file, "this is not an image\n");
  }

  /**
   * Writes {@code good} distinct PNG/JPEG/GIF/BMP images under {@code dir/img}, with a truncated
   * PNG, a text file named {@code .jpg} and a missing path inserted at fixed places, and a CSV
   * manifest listing them with ids; returns the manifest.
   */
  static Path mixedManifest(Path dir, int good) throws IOException {
    String[] formats = {"png", "jpg", "gif", "bmp"};
    List<String> lines = new ArrayList<>();
    lines.add("path,id");
    for (int i = 0; i < good; i++) {
      String format = formats[i % formats.length];
      String path = "img/good-" + i + "." + format;
      // Saturated, well separated colours survive JPEG and GIF's palette reduction.
      Color c = Color.getHSBColor(i / (float) good, 0.9f, 0.5f + 0.4f * (i % 2));
      image(dir.resolve(path), 8 + i, 6 + (i % 3), c, format);
      lines.add(path + ",good-" + i);
      if (i == 2) {
        truncatedPng(dir.resolve("img/truncated.png"));
        lines.add("img/truncated.png,truncated");
      } else if (i == 5) {
        text(dir.resolve("img/notes.jpg"));
        lines.add("img/notes.jpg,notes");
      } else if (i == 7) {
        lines.add("img/missing.png,missing");
      }
    }
    Path manifest = dir.resolve("manifest.csv");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }
}
