package dev.lit4j.examples.data;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads the 64-pixel emoji PNGs of iamcal's npm {@code emoji-datasource-<style>} packages ({@code
 * img/<style>/64/<unified>.png}) with names from their {@code emoji.json} ({@code name}, {@code
 * short_names}, {@code subcategory}) and annotations joined from {@link EmojiCatalog} by code
 * points. The package code and data are MIT; each style's images carry their own licence ({@link
 * Style}).
 *
 * <p>Ids are the image file names ({@code 1f98a.png}); the category is the Unicode subgroup spelled
 * out ({@code "animal mammal"}); the group is the {@linkplain EmojiCatalog#concept concept key}.
 * Skin-tone variants (kept in {@code skin_variations}, never read) and the {@code skin-tone}
 * subgroup are skipped, as are emoji the style has no image for. Thread-safe: stateless.
 */
public final class EmojiDatasource {

  /** An image set of emoji-datasource, with the licence of its images. */
  public enum Style {
    /** Noto Emoji: Apache License 2.0. */
    GOOGLE("google", "Apache-2.0", true),
    /** Twemoji: CC BY 4.0. */
    TWITTER("twitter", "CC-BY-4.0", true),
    /** Apple's emoji: "Copyright © Apple Inc., not licensed for commercial usage"; not shipped. */
    APPLE("apple", "proprietary (Apple Inc.)", false),
    /** Facebook's emoji: "© Facebook, Inc., have no clear licensing"; not shipped. */
    FACEBOOK("facebook", "unclear (Facebook, Inc.)", false);

    private final String folder;
    private final String licence;
    private final boolean redistributable;

    Style(String folder, String licence, boolean redistributable) {
      this.folder = folder;
      this.licence = licence;
      this.redistributable = redistributable;
    }

    /** The style's name in package and folder names, e.g. {@code "google"}. */
    public String folder() {
      return folder;
    }

    /** The licence of the style's images, as the package's README states it. */
    public String licence() {
      return licence;
    }

    /** Whether the images' licence allows shipping data derived from them. */
    public boolean redistributable() {
      return redistributable;
    }

    /** The npm package, e.g. {@code emoji-datasource-google}. */
    public String packageName() {
      return "emoji-datasource-" + folder;
    }
  }

  private EmojiDatasource() {}

  /**
   * Reads every emoji of {@code style} under the package root, sorted by id.
   *
   * @throws NoSuchFileException if the package's {@code emoji.json} is missing, with the command to
   *     install it
   * @throws IOException if a file cannot be read or parsed
   */
  public static List<CaptionedImage> read(Path packageRoot, Style style, EmojiCatalog catalog)
      throws IOException {
    Path json = packageRoot.resolve("emoji.json");
    if (!Files.isRegularFile(json)) {
      throw new NoSuchFileException(
          json.toString(),
          null,
          "emoji-datasource not found; install it with: npm install --prefix /tmp/npmdata "
              + style.packageName()
              + "@16.0.0");
    }
    JsonArray all;
    try (Reader in = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
      all = new Gson().fromJson(in, JsonArray.class);
    } catch (RuntimeException e) {
      throw new IOException(json + " is not a JSON array of emoji: " + e.getMessage(), e);
    }
    Path imageDir = packageRoot.resolve("img").resolve(style.folder()).resolve("64");
    List<CaptionedImage> out = new ArrayList<>();
    for (JsonElement e : all) {
      JsonObject o = e.getAsJsonObject();
      String unified = o.get("unified").getAsString();
      String subcategory = o.get("subcategory").getAsString();
      JsonElement has = o.get("has_img_" + style.folder());
      if (EmojiCatalog.hasSkinTone(unified)
          || subcategory.equals("skin-tone")
          || (has != null && !has.getAsBoolean())) {
        continue;
      }
      String file = o.get("image").getAsString();
      Path png = imageDir.resolve(file);
      if (!Files.isRegularFile(png)) {
        continue;
      }
      List<String> shortNames = new ArrayList<>();
      if (o.has("short_names")) {
        o.getAsJsonArray("short_names").forEach(s -> shortNames.add(s.getAsString()));
      }
      JsonElement nameField = o.get("name");
      String name =
          nameField == null || nameField.isJsonNull()
              ? shortNames.isEmpty() ? "" : shortNames.get(0).replace('_', ' ')
              : nameField.getAsString();
      var entry = catalog.get(unified);
      if (name.isBlank()) {
        name = entry.map(EmojiCatalog.Entry::annotation).orElse("");
      }
      if (name.isBlank()) {
        continue;
      }
      name = EmojiCatalog.annotationText(name.toLowerCase(Locale.ROOT));
      out.add(
          new CaptionedImage(
              file,
              png,
              EmojiCatalog.categoryName(subcategory),
              EmojiCatalog.concept(unified),
              EmojiCatalog.captions(name, entry, shortNames)));
    }
    out.sort(Comparator.comparing(CaptionedImage::id));
    return out;
  }
}
