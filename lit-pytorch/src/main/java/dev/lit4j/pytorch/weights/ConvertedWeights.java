package dev.lit4j.pytorch.weights;

import dev.lit4j.io.CacheDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cache of pre-trained weights converted from a slow source format (an ONNX graph, a TF.js model)
 * into {@link Safetensors}, which loads in a fraction of the time. The first load converts and
 * writes {@code <cache>/converted-weights/<name>-<key>.safetensors}; later loads, in this process
 * or any other, read that file. The {@code key} must change whenever the source or the conversion
 * does (a checksum of the source and a conversion version), so a stale file is never read: a new
 * source lands in a new file.
 *
 * <p>The cache is only an acceleration. A cache file that cannot be read (truncated, corrupt) is
 * converted again and replaced; a cache that cannot be written (no writable location) leaves the
 * converted weights in memory and the next load converts again. Files are written atomically, so
 * concurrent processes see either no file or a complete one. The locations are {@link
 * CacheDirectories}' (system property {@value CacheDirectories#PROPERTY}).
 *
 * <p>Stateless and thread-safe.
 */
public final class ConvertedWeights {
  /** Subdirectory of the cache location. */
  static final String SUBDIRECTORY = "converted-weights";

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private ConvertedWeights() {}

  /** Converts weights from their source format. */
  @FunctionalInterface
  public interface Conversion {
    /**
     * {@return the converted tensors by name}
     *
     * @throws IOException if the source cannot be read
     */
    Map<String, FloatTensor> convert() throws IOException;
  }

  /**
   * {@return the weights named {@code name} with source key {@code key}: read from the cache, or
   * converted (and cached) when the cache has no readable copy}
   *
   * @param name what the weights are, e.g. {@code "all-minilm-l6-v2"}
   * @param key identifies the source and the conversion, e.g. a checksum and a version
   * @param conversion converts the source when the cache cannot serve it
   * @throws IllegalArgumentException if {@code name} or {@code key} holds characters other than
   *     letters, digits, {@code .}, {@code _} and {@code -}
   * @throws IOException if the conversion fails
   */
  public static Map<String, FloatTensor> load(String name, String key, Conversion conversion)
      throws IOException {
    return load(CacheDirectories.candidates(SUBDIRECTORY), name, key, conversion);
  }

  /** As {@link #load(String, String, Conversion)} with explicit candidate directories. */
  static Map<String, FloatTensor> load(
      List<Path> directories, String name, String key, Conversion conversion) throws IOException {
    Objects.requireNonNull(conversion, "conversion");
    String fileName = checked("name", name) + "-" + checked("key", key) + ".safetensors";
    for (Path dir : directories) {
      Path file = dir.resolve(fileName);
      if (Files.isRegularFile(file)) {
        try {
          return Safetensors.read(file);
        } catch (IOException | RuntimeException corrupt) {
          // Fall through: converted again below and written over it.
        }
      }
    }
    Map<String, FloatTensor> converted = conversion.convert();
    for (Path dir : directories) {
      try {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(fileName), converted);
        break;
      } catch (IOException | RuntimeException unwritable) {
        // Try the next location; with none writable the weights are simply not cached.
      }
    }
    return converted;
  }

  private static String checked(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!SAFE_NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is not a safe file name part; use letters, digits, '.', '_' and '-'");
    }
    return value;
  }
}
