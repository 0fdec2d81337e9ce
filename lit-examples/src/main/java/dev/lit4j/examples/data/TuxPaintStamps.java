package dev.lit4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the Tux Paint stamps of Debian's {@code tuxpaint-stamps-default} (GPL-2): PNG stamps in
 * category folders, each with a {@code .txt} whose first line is an English caption ("A red
 * kangaroo.").
 *
 * <p>The category is the top-level folder. Mirrored and flipped variants ({@code _mirror}, {@code
 * _flip}) and the {@code symbols} folder (letters, money, flags: not object classes) are skipped,
 * which leaves 538 stamps in 15 categories in version 2022.06.04. Stamps without a caption file are
 * skipped. Thread-safe: stateless.
 */
public final class TuxPaintStamps {

  /** Where Debian installs the stamps. */
  public static final Path DEBIAN_ROOT = Path.of("/usr/share/tuxpaint/stamps");

  /** Human-readable class names for folder names that are not plain words. */
  private static final Map<String, String> CLASS_NAMES =
      Map.of("naturalforces", "natural forces", "town", "town buildings");

  private TuxPaintStamps() {}

  /**
   * Reads every captioned stamp under {@code root}, sorted by id.
   *
   * @throws NoSuchFileException if {@code root} does not exist, with the package to install
   * @throws IOException if a file cannot be read
   */
  public static List<CaptionedImage> read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(
          root.toString(),
          null,
          "Tux Paint stamps not found; install them with: apt-get install tuxpaint-stamps-default");
    }
    List<CaptionedImage> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path png : files.filter(TuxPaintStamps::isStamp).sorted().toList()) {
        Path rel = root.relativize(png);
        String category = rel.getName(0).toString();
        if (rel.getNameCount() < 2 || category.equals("symbols")) {
          continue;
        }
        String name = png.getFileName().toString();
        Path txt = png.resolveSibling(name.substring(0, name.length() - 4) + ".txt");
        if (!Files.isRegularFile(txt)) {
          continue;
        }
        String caption = firstLine(txt);
        if (caption.isBlank()) {
          continue;
        }
        out.add(new CaptionedImage(rel.toString(), png, category, List.of(caption)));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort(Comparator.comparing(CaptionedImage::id));
    return out;
  }

  /** Returns the label text for a category folder, e.g. {@code "natural forces"}. */
  public static String className(String category) {
    return CLASS_NAMES.getOrDefault(category, category);
  }

  private static boolean isStamp(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".png")
        && !name.contains("_mirror")
        && !name.contains("_flip")
        && Files.isRegularFile(p);
  }

  private static String firstLine(Path txt) throws IOException {
    try (Stream<String> lines = Files.lines(txt, StandardCharsets.UTF_8)) {
      return lines.findFirst().orElse("").strip();
    }
  }
}
