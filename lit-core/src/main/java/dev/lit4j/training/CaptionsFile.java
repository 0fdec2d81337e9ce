package dev.lit4j.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a captions file: JSON Lines, one object per line with a string {@code "id"} (the image's id
 * in the embedding store) and either a string {@code "caption"} or an array {@code "captions"}. An
 * id may appear on several lines; its captions accumulate in file order. Other fields (such as the
 * {@code "path"} of an embedding-store manifest) are ignored, so one file can serve as both.
 */
final class CaptionsFile {
  private CaptionsFile() {}

  /**
   * Returns the captions by id, in first-appearance order.
   *
   * @throws IllegalArgumentException if a line is not such an object or a caption is blank (the
   *     file and line are named)
   */
  static Map<String, List<String>> read(Path file) throws IOException {
    Map<String, List<String>> byId = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        Line parsed = parse(line, file + " line " + number);
        byId.computeIfAbsent(parsed.id(), k -> new ArrayList<>()).addAll(parsed.captions());
      }
    }
    return byId;
  }

  /** One non-blank line of a captions file: an id and its captions, in order. */
  record Line(String id, List<String> captions) {}

  /**
   * Parses one non-blank line; {@code where} names it in errors (file and line number).
   *
   * @throws IllegalArgumentException if the line is not such an object or a caption is blank
   */
  static Line parse(String line, String where) {
    JsonObject o;
    try {
      JsonElement e = JsonParser.parseString(line);
      if (!e.isJsonObject()) {
        throw new IllegalArgumentException(where + " is not a JSON object: " + line);
      }
      o = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(where + " is not valid JSON: " + line, e);
    }
    String id = string(o, "id", where);
    List<String> captions = new ArrayList<>(1);
    if (o.has("caption")) {
      captions.add(caption(o.get("caption"), where, id));
    } else if (o.has("captions") && o.get("captions").isJsonArray()) {
      JsonArray a = o.getAsJsonArray("captions");
      for (JsonElement c : a) {
        captions.add(caption(c, where, id));
      }
    } else {
      throw new IllegalArgumentException(
          where + " has neither a \"caption\" string nor a \"captions\" array: " + line);
    }
    return new Line(id, captions);
  }

  private static String string(JsonObject o, String field, String where) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(where + " has no string \"" + field + "\": " + o);
    }
    return e.getAsString();
  }

  private static String caption(JsonElement e, String where, String id) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(where + ": a caption of '" + id + "' is not a string");
    }
    String s = e.getAsString();
    if (s.isBlank()) {
      throw new IllegalArgumentException(
          where + ": a caption of '" + id + "' is blank; remove it or give it text");
    }
    return s;
  }
}
