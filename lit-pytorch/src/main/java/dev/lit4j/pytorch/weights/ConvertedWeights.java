package dev.lit4j.pytorch.weights;

import dev.lit4j.io.CacheDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    Optional<Map<String, FloatTensor>> cached = find(directories, name, key);
    if (cached.isPresent()) {
      return cached.get();
    }
    Map<String, FloatTensor> converted = conversion.convert();
    store(directories, name, key, converted);
    return converted;
  }

  /**
   * {@return the cached weights named {@code name} with source key {@code key}, or empty when the
   * cache has no readable copy} For converters that build their result piece by piece and take what
   * the cache has ({@link #store} writes it back).
   *
   * @param name what the weights are
   * @param key identifies the source and the conversion
   * @throws IllegalArgumentException if {@code name} or {@code key} is not a safe file name part
   */
  public static Optional<Map<String, FloatTensor>> find(String name, String key) {
    return find(CacheDirectories.candidates(SUBDIRECTORY), name, key);
  }

  /**
   * Caches {@code tensors} as the weights named {@code name} with source key {@code key}, in the
   * first location that can be written; best effort (nothing is cached where none can).
   *
   * @param name what the weights are
   * @param key identifies the source and the conversion
   * @param tensors the converted weights
   * @throws IllegalArgumentException if {@code name} or {@code key} is not a safe file name part
   */
  public static void store(String name, String key, Map<String, FloatTensor> tensors) {
    store(CacheDirectories.candidates(SUBDIRECTORY), name, key, tensors);
  }

  static Optional<Map<String, FloatTensor>> find(List<Path> directories, String name, String key) {
    String fileName = fileName(name, key);
    for (Path dir : directories) {
      Path file = dir.resolve(fileName);
      if (Files.isRegularFile(file)) {
        try {
          return Optional.of(Safetensors.read(file));
        } catch (IOException | RuntimeException corrupt) {
          // Unreadable: the caller converts again, and store() writes over it.
        }
      }
    }
    return Optional.empty();
  }

  static void store(
      List<Path> directories, String name, String key, Map<String, FloatTensor> tensors) {
    Objects.requireNonNull(tensors, "tensors");
    String fileName = fileName(name, key);
    for (Path dir : directories) {
      try {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(fileName), tensors);
        return;
      } catch (IOException | RuntimeException unwritable) {
        // Try the next location; with none writable the weights are simply not cached.
      }
    }
  }

  private static String fileName(String name, String key) {
    return checked("name", name) + "-" + checked("key", key) + ".safetensors";
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
