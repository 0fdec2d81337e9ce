package dev.lit4j.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one RFC 4180 CSV line: comma-separated, fields optionally in double quotes, {@code ""} an
 * escaped quote; fields do not span lines. Shared by the image manifests of {@link
 * dev.lit4j.store.Manifest} and the command line's evaluation sets.
 *
 * <pre>{@code
 * CsvLine.split("a,\"b, c\",\"say \"\"hi\"\"\"", "set.csv line 2"); // [a, b, c, say "hi"]
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CsvLine {
  private CsvLine() {}

  /**
   * Returns the fields of {@code line}.
   *
   * @param line one line, without its line terminator
   * @param where names the line in messages, e.g. {@code "images.csv line 3"}
   * @return the fields, unquoted, in order; an empty line is one empty field
   * @throws IllegalArgumentException if a quote is unbalanced or followed by text ({@code where}
   *     and the column are named)
   */
  public static List<String> split(String line, String where) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new IllegalArgumentException(
                where + ": a quoted field is not closed (fields may not span lines)");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < line.length() && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new IllegalArgumentException(
              where
                  + ": unexpected '"
                  + line.charAt(i)
                  + "' after a closing quote at column "
                  + (i + 1)
                  + "; quote the whole field");
        }
      } else {
        while (i < line.length() && line.charAt(i) != ',') {
          field.append(line.charAt(i++));
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= line.length()) {
        return fields;
      }
      i++; // the comma
    }
  }
}
