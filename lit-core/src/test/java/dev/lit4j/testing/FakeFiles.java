package dev.lit4j.testing;

import dev.lit4j.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** File helpers of the fake towers: atomic writes of small key=value files. */
final class FakeFiles {
  private FakeFiles() {}

  static void writeProperties(Path file, List<String> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append(System.lineSeparator());
    }
    AtomicFiles.writeString(file, text.toString());
  }

  static Properties readProperties(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }
}
