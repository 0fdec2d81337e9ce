package dev.lit4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.List;

/** Prints {@code --json} output: one pretty-printed object per run, paths and text unescaped. */
final class Json {
  /** Non-finite numbers (a diverged loss) are written as {@code NaN}/{@code Infinity}. */
  private static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .serializeSpecialFloatingPointValues()
          .create();

  private Json() {}

  /** Prints {@code object} and a line separator. */
  static void print(PrintStream out, JsonObject object) {
    out.println(GSON.toJson(object));
    out.flush();
  }

  /** Returns the strings as a JSON array. */
  static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
