package dev.lit4j.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Microsoft's Fluent Emoji in their 3D style from npm {@code @lobehub/fluent-emoji-3d} (MIT):
 * WebP renders named by code points ({@code assets/1f98a.webp}), annotated by joining to {@link
 * EmojiCatalog} on the {@linkplain EmojiCatalog#concept concept key}. Renders with a skin-tone
 * modifier, and renders the catalog does not annotate, are skipped.
 *
 * <p>Ids are the file names; category and group as in {@link EmojiDatasource}. Thread-safe:
 * stateless.
 */
public final class FluentEmoji3d {

  /** The npm package. */
  public static final String PACKAGE = "@lobehub/fluent-emoji-3d";

  private FluentEmoji3d() {}

  /**
   * Reads every annotated render under the package root, sorted by id.
   *
   * @throws NoSuchFileException if {@code assets/} is missing, with the command to install it
   * @throws IOException if the folder cannot be listed
   */
  public static List<CaptionedImage> read(Path packageRoot, EmojiCatalog catalog)
      throws IOException {
    Path assets = packageRoot.resolve("assets");
    if (!Files.isDirectory(assets)) {
      throw new NoSuchFileException(
          assets.toString(),
          null,
          "Fluent Emoji 3D not found; install it with: npm install --prefix /tmp/npmdata "
              + PACKAGE
              + "@1.1.0");
    }
    List<CaptionedImage> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(assets)) {
      for (Path webp : files.filter(p -> p.toString().endsWith(".webp")).sorted().toList()) {
        String file = webp.getFileName().toString();
        String hex = file.substring(0, file.length() - ".webp".length());
        if (EmojiCatalog.hasSkinTone(hex)) {
          continue;
        }
        var entry = catalog.get(hex);
        if (entry.isEmpty()) {
          continue;
        }
        EmojiCatalog.Entry e = entry.get();
        out.add(
            new CaptionedImage(
                file,
                webp,
                e.category(),
                EmojiCatalog.concept(hex),
                EmojiCatalog.captions(e.annotation(), entry, List.of())));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }
}
