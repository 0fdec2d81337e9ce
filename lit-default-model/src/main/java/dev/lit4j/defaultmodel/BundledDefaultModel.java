package dev.lit4j.defaultmodel;

import dev.lit4j.defaultmodel.internal.ModelCache;
import dev.lit4j.defaultmodel.internal.ModelIndex;
import dev.lit4j.io.CacheDirectories;
import dev.lit4j.spi.DefaultModelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link DefaultModelProvider} of the model bundled in this jar: the files under the class path
 * folder {@value #MODEL_RESOURCES}, listed with their sizes and SHA-256 in {@value #INDEX_RESOURCE}
 * (written by the build). A jar resource cannot be opened as a {@link Path}, so {@link
 * #modelDirectory()} extracts the model once into a cache directory named after the checksum of the
 * index, {@code <cache>/default-model/<16 hex>/}, and returns it; later calls, in this process or
 * any other, verify and reuse it without rewriting. Where {@code <cache>} is:
 *
 * <ol>
 *   <li>the system property {@value #CACHE_DIR_PROPERTY}, if set (no fallback: a directory you name
 *       and cannot write is an error);
 *   <li>otherwise {@code ${user.home}/.cache/lit4j};
 *   <li>and if that cannot be written, {@code ${java.io.tmpdir}/lit4j-cache-${user.name}}.
 * </ol>
 *
 * <p>Extraction is atomic and safe against concurrent processes; a cache directory that lost or
 * changed a file is detected and re-extracted (see {@link ModelCache}). A changed model (a new
 * release of this jar) lands in a new directory; old ones are not deleted.
 *
 * <p>Thread-safe. Normally reached through {@code LitModel.loadDefault()} or {@code
 * ZeroShotClassifier.of(labels)}:
 *
 * <pre>{@code
 * try (ZeroShotClassifier classifier = ZeroShotClassifier.of(List.of("cat", "dog"))) {
 *   ClassScores scores = classifier.classify(ImageFiles.read(Path.of("pet.jpg")));
 * }
 * }</pre>
 */
public final class BundledDefaultModel implements DefaultModelProvider {

  /** System property naming the cache directory; {@code default-model/} is created inside it. */
  public static final String CACHE_DIR_PROPERTY = CacheDirectories.PROPERTY;

  /** Class path folder holding the model directory's files. */
  static final String MODEL_RESOURCES = "/dev/lit4j/defaultmodel/model/";

  /** Class path resource listing those files. */
  static final String INDEX_RESOURCE = "/dev/lit4j/defaultmodel/model.index";

  /** Subdirectory of the cache directory holding one directory per bundled model version. */
  static final String CACHE_SUBDIRECTORY = "default-model";

  /** Serialises extraction within this process; other processes are handled by the rename. */
  private static final Object EXTRACTION = new Object();

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public BundledDefaultModel() {}

  /**
   * Returns the directory of the extracted default model, extracting it first if needed.
   *
   * @throws IOException if no cache location can be written (each one tried is named)
   * @throws IllegalStateException if the jar's model files differ from its index (the jar is
   *     corrupt)
   */
  @Override
  public Path modelDirectory() throws IOException {
    return materialise(cacheBases(System.getProperty(CACHE_DIR_PROPERTY)));
  }

  /**
   * Extracts into the first of {@code bases} that can be written.
   *
   * @throws IOException naming every base tried if none can be
   */
  static Path materialise(List<Path> bases) throws IOException {
    ModelIndex index = bundledIndex();
    synchronized (EXTRACTION) {
      IOException failure = null;
      for (Path base : bases) {
        try {
          return ModelCache.materialise(base, index, BundledDefaultModel::open);
        } catch (IOException e) {
          IOException wrapped =
              new IOException("cannot extract the default model into " + base + ": " + e, e);
          if (failure == null) {
            failure = wrapped;
          } else {
            failure.addSuppressed(wrapped);
          }
        }
      }
      throw new IOException(
          "cannot extract the default model into "
              + bases
              + "; set -D"
              + CACHE_DIR_PROPERTY
              + "=<a writable directory>",
          failure);
    }
  }

  /**
   * Returns the directories the model may be extracted under ({@code .../default-model}), in order
   * of preference.
   *
   * @param cacheDirProperty the value of {@value #CACHE_DIR_PROPERTY}, or null if it is unset
   */
  static List<Path> cacheBases(String cacheDirProperty) {
    return CacheDirectories.candidates(cacheDirProperty, CACHE_SUBDIRECTORY);
  }

  /** Reads the index the build wrote. */
  static ModelIndex bundledIndex() throws IOException {
    try (InputStream in = BundledDefaultModel.class.getResourceAsStream(INDEX_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "class path resource "
                + INDEX_RESOURCE
                + " is missing; build lit-default-model with Maven, which writes it");
      }
      return ModelIndex.read(in, INDEX_RESOURCE);
    }
  }

  private static InputStream open(String path) {
    return BundledDefaultModel.class.getResourceAsStream(MODEL_RESOURCES + path);
  }
}
