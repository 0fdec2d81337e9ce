package dev.lit4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of RFC 4180 CSV: comma-separated fields, optionally in double quotes, {@code ""}
 * an escaped quote; fields do not span lines.
 */
final class Csv {
  private Csv() {}

  /**
   * Returns the fields of {@code line}.
   *
   * @param where names the line in messages, e.g. {@code "set.csv line 3"}
   * @throws CliException if a quoted field is not closed or is followed by text
   */
  static List<String> split(String line, String where) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new CliException(where + ": a quoted field is not closed");
          }
          char c = line.charAt(i++);
          if (c != '"') {
            field.append(c);
          } else if (i < line.length() && line.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            break;
          }
        }
        if (i < line.length() && line.charAt(i) != ',') {
          throw new CliException(where + ": text after a closing quote; quote the whole field");
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
