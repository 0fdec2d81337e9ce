package dev.lit4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average, which every benchmark report records at its start and end so that a
 * run on a busy machine is visible as such.
 */
public final class LoadAverage {
  private LoadAverage() {}

  /**
   * {@return the 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, as {@code "a, b,
   * c"}, or {@code "unavailable (…)"} where that file cannot be read}
   */
  public static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }
}
