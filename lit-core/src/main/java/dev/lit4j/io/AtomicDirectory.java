package dev.lit4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>The staging directory is named {@code .<name>.tmp-<pid>-<start>-<random>} and the old
 * directory, while it is renamed aside, {@code .<name>.old-<pid>-<start>-<random>}, where {@code
 * <pid>} and {@code <start>} (epoch milliseconds) identify the writing process. A process killed
 * mid-write leaves them behind; {@link #removeAbandoned} (which {@link #replace} runs on the
 * target's parent first) clears those whose process is gone.
 *
 * <p>Thread-safety: stateless; concurrent replacements of one target are not supported.
 */
public final class AtomicDirectory {
  /** Age after which a side directory named without its writer (earlier versions) is abandoned. */
  static final Duration UNOWNED_AGE = Duration.ofHours(24);

  /**
   * Start times read back through {@link ProcessHandle.Info#startInstant} may differ by clock-tick
   * rounding; a reused pid belongs to a process started much later.
   */
  private static final long START_TOLERANCE_MILLIS = 2_000;

  private static final Pattern OWNED =
      Pattern.compile("^\\.(.+)\\.(tmp|old)-(\\d+)-(\\d+)-[0-9a-z]+$");
  private static final Pattern UNOWNED = Pattern.compile("^\\.(.+)\\.(tmp|old)-\\d+$");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OWNER = ownerOf(ProcessHandle.current());

  private AtomicDirectory() {}

  /** Fills the staging directory. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the new directory's content into {@code staging}, an existing empty directory.
     *
     * @param staging the empty directory to fill
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
   * @param target the directory to create or replace
   * @param writer writes the new content into the staging directory
   * @param marker the name of a file that every directory of this kind holds
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
    removeAbandoned(parent);
    String name = abs.getFileName().toString();
    Path staging = createSide(parent, name, "tmp");
    try {
      writer.write(staging);
      if (Files.exists(abs)) {
        Path old = createSide(parent, name, "old");
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

  /**
   * Clears what writers that are no longer running left in {@code parent}: their staging
   * directories ({@code .<name>.tmp-…}) are deleted, and a directory they had renamed aside ({@code
   * .<name>.old-…}) is deleted if {@code <name>} exists, or renamed back to {@code <name>} if it
   * does not (the writer died between its two renames, and that is the only copy). Entries of
   * running processes, this one included, are left alone; so are other files. Entries named without
   * their writer, by earlier versions of lit4j, count as abandoned once older than 24 hours.
   *
   * @param parent the directory that holds targets of {@link #replace}; nothing happens if it does
   *     not exist
   * @return the entries deleted or renamed back
   * @throws IOException if {@code parent} cannot be listed or an entry cannot be removed
   * @throws NullPointerException if {@code parent} is null
   */
  public static List<Path> removeAbandoned(Path parent) throws IOException {
    Objects.requireNonNull(parent, "parent");
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return removed;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, ".*")) {
      s.forEach(entries::add);
    }
    for (Path entry : entries) {
      String fileName = entry.getFileName().toString();
      Matcher owned = OWNED.matcher(fileName);
      Matcher unowned = UNOWNED.matcher(fileName);
      Matcher m;
      if (owned.matches()) {
        if (isRunning(Long.parseLong(owned.group(3)), Long.parseLong(owned.group(4)))) {
          continue;
        }
        m = owned;
      } else if (unowned.matches()) {
        if (!isOlderThan(entry, UNOWNED_AGE)) {
          continue;
        }
        m = unowned;
      } else {
        continue;
      }
      if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Path target = parent.resolve(m.group(1));
      if (m.group(2).equals("old") && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        move(entry, target);
      } else {
        deleteRecursively(entry);
      }
      removed.add(entry);
    }
    return removed;
  }

  /** Returns {@code <pid>-<start epoch ms>} of {@code process} (start 0 if unknown). */
  private static String ownerOf(ProcessHandle process) {
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return process.pid() + "-" + start;
  }

  private static boolean isRunning(long pid, long startMillis) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    Optional<Instant> start = process.get().info().startInstant();
    // Unknown on either side: the pid alone decides, erring towards keeping the entry.
    return startMillis == 0
        || start.isEmpty()
        || Math.abs(start.get().toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS;
  }

  private static boolean isOlderThan(Path entry, Duration age) throws IOException {
    try {
      Instant modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant();
      return modified.isBefore(Instant.now().minus(age));
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /**
   * Creates {@code .<name>.<kind>-<owner>-<random>} in {@code parent}, with default permissions.
   */
  private static Path createSide(Path parent, String name, String kind) throws IOException {
    while (true) {
      String random = Long.toUnsignedString(RANDOM.nextLong(), 36);
      try {
        return Files.createDirectory(
            parent.resolve("." + name + "." + kind + "-" + OWNER + "-" + random));
      } catch (FileAlreadyExistsException taken) {
        // Another random suffix.
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
   * @param root the file or directory to delete
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
