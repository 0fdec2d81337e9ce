package dev.lit4j.model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** Replaces a whole directory by writing a sibling staging directory and renaming it into place. */
final class AtomicDirectory {
  private AtomicDirectory() {}

  /** Fills the staging directory. */
  interface Writer {
    void write(Path staging) throws IOException;
  }

  /**
   * Writes a new directory through {@code writer} into a sibling staging directory, then renames it
   * to {@code target}. An existing {@code target} is first renamed aside and deleted after the new
   * one is in place; it must be empty or contain {@code marker}.
   *
   * @throws NotDirectoryException if {@code target} exists but is not a directory
   * @throws IllegalArgumentException if {@code target} is a non-empty directory without {@code
   *     marker}
   */
  static void replace(Path target, Writer writer, String marker) throws IOException {
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
                + " exists and is not a model directory (no "
                + marker
                + "); refusing to replace it, choose an empty or new directory");
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

  static void deleteRecursively(Path root) throws IOException {
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
