package dev.lit4j.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where lit4j keeps files it derives once and reuses across runs (the extracted default model,
 * converted pre-trained weights). Candidates, in order of preference:
 *
 * <ol>
 *   <li>the system property {@value #PROPERTY}, if set (alone: a directory you name is the only one
 *       tried);
 *   <li>otherwise {@code ${user.home}/.cache/lit4j};
 *   <li>then {@code ${java.io.tmpdir}/lit4j-cache-${user.name}} (per user, so that two users of one
 *       machine never share or fight over a directory).
 * </ol>
 *
 * <p>Each use keeps its files in its own subdirectory of the chosen location. Stateless and
 * thread-safe.
 */
public final class CacheDirectories {
  /** System property naming the cache directory. */
  public static final String PROPERTY = "lit4j.cache.dir";

  private CacheDirectories() {}

  /**
   * {@return the candidate directories for {@code subdirectory}, in order of preference, read from
   * the system property {@value #PROPERTY} and the JVM's home and temporary directories}
   *
   * @param subdirectory the use's own subdirectory, e.g. {@code "default-model"}
   */
  public static List<Path> candidates(String subdirectory) {
    return candidates(System.getProperty(PROPERTY), subdirectory);
  }

  /**
   * {@return the candidate directories for {@code subdirectory} given the value of {@value
   * #PROPERTY}}
   *
   * @param property the property's value, or null if it is unset
   * @param subdirectory the use's own subdirectory
   */
  public static List<Path> candidates(String property, String subdirectory) {
    Objects.requireNonNull(subdirectory, "subdirectory");
    if (property != null && !property.isBlank()) {
      return List.of(Path.of(property).resolve(subdirectory));
    }
    List<Path> bases = new ArrayList<>(2);
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank()) {
      bases.add(Path.of(home, ".cache", "lit4j", subdirectory));
    }
    String user = Objects.requireNonNullElse(System.getProperty("user.name"), "unknown");
    bases.add(Path.of(System.getProperty("java.io.tmpdir"), "lit4j-cache-" + user, subdirectory));
    return List.copyOf(bases);
  }
}
