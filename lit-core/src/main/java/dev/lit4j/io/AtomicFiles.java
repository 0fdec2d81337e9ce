package dev.lit4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Atomic file writes: the content goes to a temporary sibling file, which is forced to disk and
 * then renamed over the target, and the directory is forced so the rename survives a crash. A
 * reader or a crash sees the old file or the new one, never a mix; a failed write leaves the target
 * untouched and deletes the temporary file.
 *
 * <p>The rename is atomic where the file system supports it ({@link
 * StandardCopyOption#ATOMIC_MOVE}); where it does not, it falls back to a plain replacing move.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("config.json"), json);
 * AtomicFiles.write(dir.resolve("plot.png"), out -> encoder.encode(image, out));
 * }</pre>
 *
 * <p>Thread-safety: the methods are stateless; concurrent writes to different targets are safe,
 * concurrent writes to one target leave one of the contents in place.
 */
public final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Produces the content of a file onto a stream. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content to {@code out}; {@code out} must not be closed by the callee.
     *
     * @param out the temporary file's stream
     * @throws IOException if the content cannot be produced or written
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code target} with {@code bytes}, atomically.
   *
   * @param target the file to create or replace
   * @param bytes its new content
   * @throws IOException if the file cannot be written or moved (the target keeps its old content)
   * @throws NullPointerException if an argument is null
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    write(target, out -> out.write(bytes));
  }

  /**
   * Replaces {@code target} with {@code text} encoded as UTF-8, atomically.
   *
   * @param target the file to create or replace
   * @param text its new content
   * @throws IOException if the file cannot be written or moved (the target keeps its old content)
   * @throws NullPointerException if an argument is null
   */
  public static void writeString(Path target, String text) throws IOException {
    Objects.requireNonNull(text, "text");
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Replaces {@code target} with a copy of {@code source}, atomically.
   *
   * @param source the file to copy
   * @param target the file to create or replace
   * @throws IOException if {@code source} cannot be read or the copy cannot be written or moved
   * @throws NullPointerException if an argument is null
   */
  public static void copy(Path source, Path target) throws IOException {
    Objects.requireNonNull(source, "source");
    write(target, out -> Files.copy(source, out));
  }

  /**
   * Replaces {@code target} with what {@code content} writes, atomically. The temporary file is a
   * hidden sibling ({@code .<name>.<random>.tmp}) in the target's directory, which must exist. The
   * new file gets the default permissions (on POSIX systems: what the umask allows), not the
   * owner-only mode of {@link Files#createTempFile}, so a model saved by one user can be served by
   * another.
   *
   * @param target the file to create or replace
   * @param content writes its new content
   * @throws IOException if {@code content} throws, or the file cannot be written or moved (the
   *     target keeps its old content)
   * @throws NullPointerException if an argument is null
   */
  public static void write(Path target, Content content) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(content, "content");
    Path abs = target.toAbsolutePath();
    Path temp = createSibling(abs);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      moveIntoPlace(temp, abs);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates {@code .<name>.<random>.tmp} beside {@code target}. Not {@link Files#createTempFile}:
   * that makes the file owner-only (0600) and the rename would carry that mode into place; {@link
   * Files#createFile} with default attributes follows the umask like any other file the user
   * writes.
   */
  private static Path createSibling(Path target) throws IOException {
    while (true) {
      String random = Long.toUnsignedString(RANDOM.nextLong(), 36);
      try {
        return Files.createFile(
            target.resolveSibling("." + target.getFileName() + "." + random + ".tmp"));
      } catch (FileAlreadyExistsException taken) {
        // Another random suffix.
      }
    }
  }

  /**
   * Renames a finished file {@code source} (already forced to disk by the caller) over {@code
   * target} in the same directory, atomically where the file system allows it, then forces the
   * directory. For callers that must choose the temporary file's name themselves, for example to
   * recognise it after a crash.
   *
   * @param source the finished file, in {@code target}'s directory
   * @param target the file to create or replace
   * @throws IOException if the move fails (the target keeps its old content)
   * @throws NullPointerException if an argument is null
   */
  public static void moveIntoPlace(Path source, Path target) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) {
      forceDirectory(parent);
    }
  }

  /**
   * Makes renames in {@code dir} durable where the platform allows opening a directory; elsewhere
   * (Windows) renames are durable anyway and this does nothing.
   *
   * @param dir the directory whose entries were renamed
   * @throws NullPointerException if {@code dir} is null
   */
  public static void forceDirectory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; their renames are durable without this.
    }
  }
}
