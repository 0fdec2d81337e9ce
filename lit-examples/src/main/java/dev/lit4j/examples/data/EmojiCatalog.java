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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The emoji annotations of npm {@code openmoji} ({@code data/openmoji.json}, CC BY-SA 4.0): for
 * each emoji its CLDR annotation ("grinning face"), CLDR keywords and OpenMoji's own tags, and its
 * Unicode group and subgroup. Keyed by {@link #concept(String) concept}, so that every style of an
 * emoji (OpenMoji, Fluent, Noto, Twemoji) finds the same entry and gets the same captions and
 * category. Skin-tone variants and the {@code component} group (bare skin tones, hair styles) are
 * left out.
 *
 * <p>Thread-safe: immutable.
 */
public final class EmojiCatalog {

  /** The file inside the {@code openmoji} package. */
  static final String FILE = "data/openmoji.json";

  /** One emoji's annotations. */
  public record Entry(
      String hexcode, String annotation, List<String> keywords, String group, String subgroup) {

    /** The subgroup spelled out as a class name, e.g. {@code "animal mammal"}. */
    String category() {
      return categoryName(subgroup);
    }
  }

  private final Map<String, Entry> byConcept;

  private EmojiCatalog(Map<String, Entry> byConcept) {
    this.byConcept = byConcept;
  }

  /**
   * Reads {@code openmoji.json} from the {@code openmoji} package root.
   *
   * @throws NoSuchFileException if it is missing, with the package to install
   * @throws IOException if it cannot be read or parsed
   */
  public static EmojiCatalog read(Path openmojiRoot) throws IOException {
    Path file = openmojiRoot.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "openmoji.json not found; install it with: npm install --prefix /tmp/npmdata"
              + " openmoji@17.0.0");
    }
    JsonArray all;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      all = new Gson().fromJson(in, JsonArray.class);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a JSON array of emoji: " + e.getMessage(), e);
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    for (JsonElement e : all) {
      JsonObject o = e.getAsJsonObject();
      String hexcode = text(o, "hexcode");
      String group = text(o, "group");
      if (!text(o, "skintone").isEmpty() || hasSkinTone(hexcode) || group.equals("component")) {
        continue;
      }
      Set<String> keywords = new LinkedHashSet<>();
      for (String field : List.of("tags", "openmoji_tags")) {
        for (String k : text(o, field).split(",")) {
          if (!k.isBlank()) {
            keywords.add(k.strip().toLowerCase(Locale.ROOT));
          }
        }
      }
      String annotation = annotationText(text(o, "annotation"));
      if (annotation.isEmpty()) {
        continue;
      }
      out.putIfAbsent(
          concept(hexcode),
          new Entry(hexcode, annotation, List.copyOf(keywords), group, text(o, "subgroups")));
    }
    return new EmojiCatalog(out);
  }

  /** Returns the entry of a concept key or code-point sequence, if annotated. */
  public Optional<Entry> get(String hexcode) {
    return Optional.ofNullable(byConcept.get(concept(hexcode)));
  }

  /** Returns every entry, in file order. */
  public List<Entry> entries() {
    return List.copyOf(byConcept.values());
  }

  /**
   * Returns the concept key of a code-point sequence: upper-case hex, {@code -}-separated, without
   * variation selector 16 ({@code FE0F}), so {@code "2764-fe0f"} and {@code "2764"} are one key.
   */
  static String concept(String hexcode) {
    return Arrays.stream(hexcode.toUpperCase(Locale.ROOT).split("[-_ ]"))
        .filter(p -> !p.isEmpty() && !p.equals("FE0F"))
        .collect(Collectors.joining("-"));
  }

  /** Whether a code-point sequence holds a Fitzpatrick skin-tone modifier (U+1F3FB..U+1F3FF). */
  static boolean hasSkinTone(String hexcode) {
    for (String p : hexcode.toUpperCase(Locale.ROOT).split("[-_ ]")) {
      if (p.matches("1F3F[B-F]")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Spells a Unicode subgroup as a class name: {@code "animal-mammal"} → {@code "animal mammal"}.
   */
  static String categoryName(String subgroup) {
    // emoji.json spells "sky & weather" where openmoji.json has "sky-weather": drop the "&".
    return subgroup
        .replace('-', ' ')
        .replace('_', ' ')
        .replace('&', ' ')
        .replaceAll("\\s+", " ")
        .strip();
  }

  /**
   * Turns a CLDR annotation into caption text: {@code "flag: Germany"} → {@code "flag of Germany"}.
   */
  static String annotationText(String annotation) {
    String a = annotation.strip();
    if (a.startsWith("flag: ")) {
      return "flag of " + a.substring(6);
    }
    return a.replace(": ", " ").replace('_', ' ').strip();
  }

  /**
   * Captions for one emoji: its name, the catalog's annotation when it differs, and the name
   * followed by up to {@code 12} keywords that do not merely repeat it.
   *
   * @param name the style's own name for the emoji (lower-cased here), or the annotation
   * @param extraKeywords the style's own keywords (e.g. short names), added after the catalog's
   */
  static List<String> captions(String name, Optional<Entry> entry, List<String> extraKeywords) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    Set<String> out = new LinkedHashSet<>();
    out.add(n);
    Set<String> keywords = new LinkedHashSet<>();
    entry.ifPresent(
        e -> {
          out.add(e.annotation().toLowerCase(Locale.ROOT));
          keywords.addAll(e.keywords());
        });
    for (String k : extraKeywords) {
      keywords.add(k.replace('_', ' ').strip().toLowerCase(Locale.ROOT));
    }
    List<String> kept = new ArrayList<>();
    for (String k : keywords) {
      if (!k.isEmpty() && !out.contains(k) && !n.equals(k) && kept.size() < 12) {
        kept.add(k);
      }
    }
    if (!kept.isEmpty()) {
      out.add(n + ", " + String.join(", ", kept));
    }
    return List.copyOf(out);
  }

  private static String text(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }
}
