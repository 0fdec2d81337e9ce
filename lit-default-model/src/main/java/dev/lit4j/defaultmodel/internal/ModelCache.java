package dev.lit4j.defaultmodel.internal;

import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.io.Checksums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Materialises a model listed by a {@link ModelIndex} into {@code <base>/<index key>/}, once.
 *
 * <ul>
 *   <li>A directory that already holds every listed file with its size and SHA-256 is returned as
 *       it is: nothing is rewritten.
 *   <li>Otherwise the files are extracted into a hidden staging sibling ({@code .<key>.tmp-*}),
 *       each checked against the index while it is copied, and the staging directory is renamed to
 *       the final name in one atomic step: another process sees no directory or a complete one,
 *       never a half-written one. If another process won the race, its complete directory is used
 *       and the staging copy deleted. An incomplete or corrupt directory in the way (a file deleted
 *       or truncated by hand, a crash before the data reached the disk) is renamed aside, deleted,
 *       and replaced.
 *   <li>Directories and files are created with the default permissions of the process (mode {@code
 *       0777}/{@code 0666} less the umask), like any file the user creates; nothing is left {@code
 *       0600}/{@code 0700}.
 * </ul>
 *
 * <p>Stateless and thread-safe: concurrent calls, in one process or several, for one base directory
 * are safe.
 */
public final class ModelCache {
  /** Rounds of install-or-clear before giving up when other processes keep interfering. */
  private static final int INSTALL_ATTEMPTS = 5;

  private ModelCache() {}

  /** Opens one file of the bundled model. */
  @FunctionalInterface
  public interface Source {
    /**
     * Opens the file at {@code path} (as listed in the index); the caller closes the stream.
     *
     * @param path the file's path as the index lists it
     * @return a stream of the file's bytes
     * @throws IOException if it cannot be opened
     */
    InputStream open(String path) throws IOException;
  }

  /**
   * {@return {@code base/<index.key()>}, holding the complete model, extracting it first if needed}
   *
   * @param base the cache directory, e.g. {@code ~/.cache/lit4j/default-model}
   * @param index the files of the model and their checksums
   * @param source where the files are read from
   * @throws IOException if a directory or file cannot be created, written or renamed (for example
   *     an unwritable {@code base})
   * @throws IllegalStateException if {@code source} lacks a listed file or a file's bytes differ
   *     from the index (the bundled model is corrupt; the file is named)
   */
  public static Path materialise(Path base, ModelIndex index, Source source) throws IOException {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(source, "source");
    Path target = base.resolve(index.key());
    if (index.isCompleteAt(target)) {
      return target;
    }
    Files.createDirectories(base);
    Path staging = base.resolve("." + index.key() + ".tmp-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      extract(index, source, staging);
      install(staging, target, index);
      return target;
    } finally {
      AtomicDirectory.deleteRecursively(staging);
    }
  }

  private static void extract(ModelIndex index, Source source, Path staging) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (ModelIndex.Entry e : index.entries()) {
      Path file = e.resolveIn(staging);
      Files.createDirectories(file.getParent());
      MessageDigest digest = Checksums.newSha256();
      long size = 0;
      try (InputStream in = source.open(e.path());
          OutputStream out = Files.newOutputStream(file)) {
        if (in == null) {
          throw new IllegalStateException(
              "the bundled model lacks "
                  + e.path()
                  + ", which its index lists; the jar is corrupt");
        }
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
          size += n;
        }
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      if (size != e.size() || !sha256.equals(e.sha256())) {
        throw new IllegalStateException(
            "the bundled file "
                + e.path()
                + " has "
                + size
                + " bytes with SHA-256 "
                + sha256
                + " but its index says "
                + e.size()
                + " bytes with SHA-256 "
                + e.sha256()
                + "; the jar is corrupt or the index was not rebuilt after the model changed");
      }
    }
  }

  /** Renames {@code staging} to {@code target}, or accepts a complete target another made. */
  private static void install(Path staging, Path target, ModelIndex index) throws IOException {
    for (int attempt = 0; attempt < INSTALL_ATTEMPTS; attempt++) {
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (AtomicMoveNotSupportedException e) {
        throw e; // siblings are on one file system; if not, a plain move would not be atomic
      } catch (FileSystemException e) {
        // Most often the target exists (renaming onto a non-empty directory fails); anything else
        // (no permission) is rethrown.
        if (!Files.exists(target)) {
          throw e;
        }
      }
      if (index.isCompleteAt(target)) {
        return; // another thread or process installed the same files first
      }
      Path aside = target.resolveSibling("." + index.key() + ".broken-" + UUID.randomUUID());
      try {
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        continue; // another process moved it first
      }
      AtomicDirectory.deleteRecursively(aside);
    }
    throw new IOException(
        "could not install the model at "
            + target
            + " after "
            + INSTALL_ATTEMPTS
            + " attempts: another process keeps replacing it");
  }
}
