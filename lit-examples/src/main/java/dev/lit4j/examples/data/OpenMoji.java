package dev.lit4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads OpenMoji 17 (npm {@code openmoji}, CC BY-SA 4.0), the flat, outlined emoji of HfG
 * Schwäbisch Gmünd: every emoji of {@link EmojiCatalog} (no skin tones, no components), with its
 * annotation and tags as captions. The npm package holds SVGs only ({@code
 * color/svg/<HEXCODE>.svg}); each is rendered once to a {@value #SIDE}-pixel PNG with {@code
 * rsvg-convert} (Debian {@code librsvg2-bin}) into a cache folder, and renders already there are
 * reused.
 *
 * <p>Ids are {@code <HEXCODE>.png}; category and group as in {@link EmojiDatasource}. Thread-safe:
 * stateless, but two calls must not share a cache folder.
 */
public final class OpenMoji {

  /** The npm package. */
  public static final String PACKAGE = "openmoji";

  /** Side of the rendered PNGs, in pixels (OpenMoji's own PNG exports are 72 px). */
  public static final int SIDE = 72;

  private OpenMoji() {}

  /**
   * Reads every annotated emoji, rendering missing PNGs into {@code pngDir}; sorted by id.
   *
   * @throws NoSuchFileException if {@code color/svg/} is missing (with the command to install it),
   *     or a render is missing and {@code rsvg-convert} is not installed
   * @throws IOException if a render fails
   */
  public static List<CaptionedImage> read(Path packageRoot, EmojiCatalog catalog, Path pngDir)
      throws IOException {
    Path svgDir = packageRoot.resolve("color").resolve("svg");
    if (!Files.isDirectory(svgDir)) {
      throw new NoSuchFileException(
          svgDir.toString(),
          null,
          "OpenMoji not found; install it with: npm install --prefix /tmp/npmdata openmoji@17.0.0");
    }
    Files.createDirectories(pngDir);
    List<CaptionedImage> out = new ArrayList<>();
    for (EmojiCatalog.Entry e : catalog.entries()) {
      Path svg = svgDir.resolve(e.hexcode() + ".svg");
      Path png = pngDir.resolve(e.hexcode() + ".png");
      if (!Files.isRegularFile(png)) {
        if (!Files.isRegularFile(svg)) {
          continue;
        }
        render(svg, png);
      }
      out.add(
          new CaptionedImage(
              png.getFileName().toString(),
              png,
              e.category(),
              EmojiCatalog.concept(e.hexcode()),
              EmojiCatalog.captions(e.annotation(), java.util.Optional.of(e), List.of())));
    }
    out.sort(Comparator.comparing(CaptionedImage::id));
    return out;
  }

  private static void render(Path svg, Path png) throws IOException {
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    ProcessBuilder pb =
        new ProcessBuilder(
                "rsvg-convert",
                "-w",
                Integer.toString(SIDE),
                "-h",
                Integer.toString(SIDE),
                "-o",
                tmp.toString(),
                svg.toString())
            .redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new NoSuchFileException(
          "rsvg-convert",
          null,
          "needed to render " + svg + "; install it with: apt-get install librsvg2-bin");
    }
    try {
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        throw new IOException("rsvg-convert failed on " + svg + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while rendering " + svg);
    }
    Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
