package dev.lit4j.model;

import dev.lit4j.spi.DefaultModelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the one {@link DefaultModelProvider} on the class path and loads its model directory.
 *
 * <p>Several providers are refused rather than ranked: which model answers {@code
 * LitModel.loadDefault()} must not depend on class-path order, and two providers almost always mean
 * two versions of the default-model jar. Stateless and thread-safe.
 */
final class DefaultModels {
  /** The artifact that provides the bundled default model. */
  static final String ARTIFACT_ID = "lit-default-model";

  private static final String BUILD_PROPERTIES = "lit4j-build.properties";

  private DefaultModels() {}

  /** Loads the default model of the {@link ServiceLoader} providers (thread context loader). */
  static LitModel load() throws IOException {
    return load(ServiceLoader.load(DefaultModelProvider.class), TowerFormats.fromServiceLoader());
  }

  /** {@link #load()} with the given providers and tower formats. */
  static LitModel load(Iterable<DefaultModelProvider> providers, TowerFormats formats)
      throws IOException {
    DefaultModelProvider provider = find(providers);
    Path directory = provider.modelDirectory();
    if (directory == null) {
      throw new IllegalStateException(
          "default model provider "
              + describe(provider)
              + " returned no model directory; it must return the directory of a saved model");
    }
    return ModelDirectory.load(directory, formats);
  }

  /**
   * Returns the only provider.
   *
   * @throws IllegalStateException naming the artifact to add if there is none, or naming every
   *     provider and its jar if there are several
   */
  static DefaultModelProvider find(Iterable<DefaultModelProvider> providers) {
    Objects.requireNonNull(providers, "providers");
    List<DefaultModelProvider> found = new ArrayList<>();
    providers.forEach(found::add);
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no default lit4j model on the class path: add the dependency "
              + artifactCoordinates()
              + ", which provides one through "
              + DefaultModelProvider.class.getName()
              + ", or load a model directory with LitModel.load(Path)");
    }
    if (found.size() > 1) {
      throw new IllegalStateException(
          found.size()
              + " default model providers on the class path: "
              + found.stream().map(DefaultModels::describe).collect(Collectors.joining(", "))
              + "; keep exactly one "
              + DefaultModelProvider.class.getName()
              + " (usually one "
              + ARTIFACT_ID
              + " jar), or load a model directory with LitModel.load(Path)");
    }
    return found.get(0);
  }

  /**
   * {@code groupId:artifactId:version} of the default-model artifact matching this lit-core, read
   * from {@value #BUILD_PROPERTIES}, which Maven fills in; without it (lit-core not built by Maven)
   * the version is described instead of named.
   */
  static String artifactCoordinates() {
    Properties build = new Properties();
    try (InputStream in = DefaultModels.class.getResourceAsStream(BUILD_PROPERTIES)) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // Only the version is lost; the message still names the artifact.
    }
    String groupId = build.getProperty("groupId", "dev.lit4j");
    String version = build.getProperty("version");
    return groupId
        + ":"
        + ARTIFACT_ID
        + (version == null ? " (the version of lit-core)" : ":" + version);
  }

  private static String describe(DefaultModelProvider provider) {
    Class<?> type = provider.getClass();
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    return type.getName() + (location == null ? "" : " (from " + location + ")");
  }
}
