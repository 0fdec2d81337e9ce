package dev.lit4j.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one RFC 4180 CSV line: comma-separated, fields optionally in double quotes, {@code ""} an
 * escaped quote.
 */
final class CsvLine {
  private CsvLine() {}

  /**
   * @throws IllegalArgumentException if a quote is unbalanced or followed by text (the line is
   *     named)
   */
  static List<String> split(String line, int lineNo, Path manifest) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < line.length() && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= line.length()) {
            throw new IllegalArgumentException(
                Manifest.where(manifest, lineNo)
                    + ": a quoted field is not closed (fields may not span lines)");
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
              Manifest.where(manifest, lineNo)
                  + ": unexpected '"
                  + line.charAt(i)
                  + "' after a closing quote at column "
                  + (i + 1));
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
