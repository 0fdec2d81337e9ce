package dev.lit4j.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON that JMH writes with {@code -rf json}. */
final class JmhResults {
  private JmhResults() {}

  /**
   * Reads every result in {@code file}; only average-time results in ms/op are accepted.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not JMH JSON of that kind
   */
  static List<Measurement> read(Path file) throws IOException {
    JsonElement root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = JsonParser.parseReader(reader);
    }
    if (!root.isJsonArray()) {
      throw new IllegalArgumentException(file + " is not a JMH JSON result (expected an array)");
    }
    List<Measurement> out = new ArrayList<>();
    for (JsonElement e : (JsonArray) root) {
      out.add(parse(e.getAsJsonObject(), file));
    }
    return out;
  }

  private static Measurement parse(JsonObject o, Path file) {
    String benchmark = o.get("benchmark").getAsString();
    JsonObject metric = o.getAsJsonObject("primaryMetric");
    String unit = metric.get("scoreUnit").getAsString();
    if (!"avgt".equals(o.get("mode").getAsString()) || !"ms/op".equals(unit)) {
      throw new IllegalArgumentException(
          file + ": " + benchmark + " is not average time in ms/op (got " + unit + ")");
    }
    Map<String, String> params = new LinkedHashMap<>();
    JsonObject p = o.getAsJsonObject("params");
    if (p != null) {
      for (Map.Entry<String, JsonElement> entry : p.entrySet()) {
        params.put(entry.getKey(), entry.getValue().getAsString());
      }
    }
    int lastDot = benchmark.lastIndexOf('.');
    String className = benchmark.substring(0, lastDot);
    return new Measurement(
        className.substring(className.lastIndexOf('.') + 1),
        benchmark.substring(lastDot + 1),
        params,
        metric.get("score").getAsDouble(),
        metric.get("scoreError").getAsDouble());
  }
}
