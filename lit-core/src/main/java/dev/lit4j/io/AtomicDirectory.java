package dev.lit4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Replaces a whole directory by filling a hidden sibling staging directory and renaming it into
 * place, so readers and crashes see the old directory or the complete new one. An existing target
 * is renamed aside first and deleted once the new one is in place; if the final rename fails, the
 * old directory is put back.
 *
 * <pre>{@code
 * AtomicDirectory.replace(modelDir, staging -> writeFiles(staging), "lit-model.json");
 * }</pre>
 *
 * <p>Thread-safety: stateless; concurrent replacements of one target are not supported.
 */
public final class AtomicDirectory {
  private AtomicDirectory() {}

  /** Fills the staging directory. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the new directory's content into {@code staging}, an existing empty directory.
     *
     * @throws IOException if the content cannot be written (the target is left untouched)
     */
    void write(Path staging) throws IOException;
  }

  /**
   * Writes a new directory through {@code writer} into a sibling staging directory, then renames it
   * to {@code target}. An existing {@code target} is first renamed aside and deleted after the new
   * one is in place; it must be empty or contain {@code marker}, a file that only the kind of
   * directory being written has, so that an unrelated directory is never deleted.
   *
   * @throws IOException if {@code writer} throws or a rename fails (the old directory is kept)
   * @throws NullPointerException if an argument is null
   * @throws NotDirectoryException if {@code target} exists but is not a directory
   * @throws IllegalArgumentException if {@code target} is a non-empty directory without {@code
   *     marker}
   */
  public static void replace(Path target, Writer writer, String marker) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(marker, "marker");
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot replace the file system root " + target);
    }
    checkReplaceable(abs, marker);
    Files.createDirectories(parent);
    String name = abs.getFileName().toString();
    Path staging = Files.createTempDirectory(parent, "." + name + ".tmp-");
    try {
      writer.write(staging);
      if (Files.exists(abs)) {
        Path old = Files.createTempDirectory(parent, "." + name + ".old-");
        Files.delete(old);
        move(abs, old);
        try {
          move(staging, abs);
        } catch (IOException e) {
          move(old, abs);
          throw e;
        }
        deleteRecursively(old);
      } else {
        move(staging, abs);
      }
      AtomicFiles.forceDirectory(parent);
    } finally {
      if (Files.exists(staging)) {
        deleteRecursively(staging);
      }
    }
  }

  private static void checkReplaceable(Path dir, String marker) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    if (Files.exists(dir.resolve(marker))) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException(
            dir
                + " exists, is not empty and has no "
                + marker
                + "; refusing to replace it, choose an empty or new directory");
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /**
   * Deletes {@code root} and everything under it; does nothing if it does not exist. Symbolic links
   * are deleted, not followed.
   *
   * @throws IOException if an entry cannot be deleted
   * @throws NullPointerException if {@code root} is null
   */
  public static void deleteRecursively(Path root) throws IOException {
    Objects.requireNonNull(root, "root");
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
