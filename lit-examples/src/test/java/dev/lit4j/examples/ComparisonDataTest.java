package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.examples.data.ShippedData;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ComparisonData}'s check for missing Debian packages; no engine. */
class ComparisonDataTest {
  @TempDir Path dir;

  @Test
  void load_withoutOpenClipartPngs_throwsNamingTheAptPackage() throws Exception {
    ShippedData shipped = ShippedData.locate();
    Path missing = dir.resolve("openclipart/png");
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () -> ComparisonData.load(shipped, missing, dir, dir, 1, dir.resolve("fashion")));
    assertTrue(e.getMessage().contains("apt-get install openclipart-png"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
