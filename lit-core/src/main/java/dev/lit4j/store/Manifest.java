package dev.lit4j.store;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.io.Checksums;
import dev.lit4j.io.CsvLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed manifest: the images to embed, in order, and the SHA-256 of the manifest file.
 *
 * <p>Two formats, chosen by extension: {@code .csv} (RFC 4180, UTF-8, a header row naming a {@code
 * path} column and optionally an {@code id} column; other columns are ignored, so a captions file
 * can serve) and {@code .jsonl} (one object per line with a string {@code "path"} and optionally
 * {@code "id"}). Blank lines are skipped. Relative paths resolve against the manifest's directory.
 * Without an id, the path as written is the id. Ids must be unique.
 *
 * @param entries the images, in manifest order
 * @param sha256 the hex SHA-256 of the manifest's bytes
 */
record Manifest(List<ManifestEntry> entries, String sha256) {

  Manifest {
    entries = List.copyOf(entries);
  }

  /**
   * Reads and validates a manifest.
   *
   * @throws IllegalArgumentException if the format is unknown, a line is malformed (its number is
   *     named), an id repeats (both lines are named), or there are no entries
   * @throws IOException if the file cannot be read
   */
  static Manifest read(Path manifest) throws IOException {
    String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean csv = name.endsWith(".csv");
    if (!csv && !name.endsWith(".jsonl")) {
      throw new IllegalArgumentException("manifest " + manifest + " must be a .csv or .jsonl file");
    }
    byte[] bytes = Files.readAllBytes(manifest);
    String text = decodeUtf8(bytes, manifest);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Path base = manifest.toAbsolutePath().getParent();
    List<String> lines = text.lines().toList();
    List<ManifestEntry> entries =
        csv ? parseCsv(lines, base, manifest) : parseJsonl(lines, base, manifest);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("manifest " + manifest + " lists no images");
    }
    checkUniqueIds(entries, manifest);
    return new Manifest(entries, Checksums.sha256Hex(bytes));
  }

  private static List<ManifestEntry> parseCsv(List<String> lines, Path base, Path manifest) {
    int headerLine = firstNonBlank(lines);
    if (headerLine < 0) {
      return List.of();
    }
    List<String> header = CsvLine.split(lines.get(headerLine), where(manifest, headerLine + 1));
    int pathColumn = header.indexOf("path");
    int idColumn = header.indexOf("id");
    if (pathColumn < 0) {
      throw new IllegalArgumentException(
          "manifest "
              + manifest
              + " line "
              + (headerLine + 1)
              + ": the header "
              + header
              + " has no 'path' column; expected a header like path,id");
    }
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = headerLine + 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      List<String> fields = CsvLine.split(lines.get(i), where(manifest, lineNo));
      if (fields.size() != header.size()) {
        throw new IllegalArgumentException(
            "manifest "
                + manifest
                + " line "
                + lineNo
                + " has "
                + fields.size()
                + " fields, the header has "
                + header.size());
      }
      String id = idColumn < 0 ? null : fields.get(idColumn);
      entries.add(entry(lineNo, fields.get(pathColumn), id, base, manifest));
    }
    return entries;
  }

  private static List<ManifestEntry> parseJsonl(List<String> lines, Path base, Path manifest) {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      JsonObject object;
      try {
        JsonElement element = JsonParser.parseString(lines.get(i));
        if (!element.isJsonObject()) {
          throw new IllegalArgumentException(
              where(manifest, lineNo) + " is not a JSON object; expected {\"path\": …, \"id\": …}");
        }
        object = element.getAsJsonObject();
      } catch (JsonParseException e) {
        throw new IllegalArgumentException(
            where(manifest, lineNo) + " is not valid JSON: " + e.getMessage(), e);
      }
      entries.add(
          entry(
              lineNo,
              stringField(object, "path", lineNo, manifest),
              optionalId(object, lineNo, manifest),
              base,
              manifest));
    }
    return entries;
  }

  private static String optionalId(JsonObject object, int lineNo, Path manifest) {
    return object.has("id") ? stringField(object, "id", lineNo, manifest) : null;
  }

  private static String stringField(JsonObject object, String field, int lineNo, Path manifest) {
    JsonElement value = object.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(
          where(manifest, lineNo) + ": \"" + field + "\" must be a string, got " + value);
    }
    return value.getAsString();
  }

  private static ManifestEntry entry(int lineNo, String path, String id, Path base, Path manifest) {
    if (path.isBlank()) {
      throw new IllegalArgumentException(where(manifest, lineNo) + ": the path is empty");
    }
    if (id != null && id.isBlank()) {
      throw new IllegalArgumentException(
          where(manifest, lineNo) + ": the id is empty; give every image an id or none at all");
    }
    Path file;
    try {
      file = base.resolve(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          where(manifest, lineNo) + ": '" + path + "' is not a valid path: " + e.getReason(), e);
    }
    return new ManifestEntry(lineNo, path, id == null ? path : id, file);
  }

  private static void checkUniqueIds(List<ManifestEntry> entries, Path manifest) {
    Map<String, Integer> seen = new HashMap<>();
    for (ManifestEntry e : entries) {
      Integer earlier = seen.putIfAbsent(e.id(), e.line());
      if (earlier != null) {
        throw new IllegalArgumentException(
            "manifest "
                + manifest
                + ": duplicate id '"
                + e.id()
                + "' on lines "
                + earlier
                + " and "
                + e.line()
                + "; ids must be unique");
      }
    }
  }

  private static int firstNonBlank(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return i;
      }
    }
    return -1;
  }

  static String where(Path manifest, int lineNo) {
    return "manifest " + manifest + " line " + lineNo;
  }

  private static String decodeUtf8(byte[] bytes, Path manifest) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("manifest " + manifest + " is not valid UTF-8", e);
    }
  }
}
