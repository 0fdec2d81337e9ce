package dev.lit4j.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive write lock of a store directory: an operating-system lock ({@link
 * FileChannel#tryLock()}) on the file {@code .lock} inside it, which excludes builders in other
 * processes, plus a JVM-wide registry of locked directories, which excludes builders in this one.
 *
 * <p>The registry is needed because file locks belong to the whole process: a second {@code
 * tryLock} from this JVM throws {@link OverlappingFileLockException}, and on POSIX systems merely
 * closing a second channel on the lock file releases the process's lock (see {@link FileLock}), so
 * a second in-process builder must be refused before it opens the file. Directories are keyed by
 * their real path, so aliases (relative paths, symbolic links) are recognised.
 *
 * <p>The lock file is created if absent and never deleted: deleting it would let a builder that
 * opened the old file and one that created a new file both hold "the" lock. Its presence means
 * nothing; the operating system drops the lock when the holder closes it or its process ends, so a
 * file left by a crashed process does not block. Thread-safe; {@link #close()} is idempotent.
 */
final class StoreLock implements AutoCloseable {
  /** Real paths of the directories locked by this JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private boolean closed;

  private StoreLock(Path key, FileChannel channel) {
    this.key = key;
    this.channel = channel;
  }

  /**
   * Locks the existing directory {@code dir} for writing, without waiting.
   *
   * @throws StoreLockedException if another builder, in this or another process, holds the lock
   * @throws InterruptedIOException if the thread was interrupted (the flag stays set)
   * @throws IOException if the lock file cannot be created or the file system cannot lock it
   */
  static StoreLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    if (!HELD.add(key)) {
      throw new StoreLockedException(dir);
    }
    FileChannel channel = null;
    try {
      Path file = key.resolve(StoreFiles.LOCK);
      channel = open(file);
      if (!tryLock(channel, file)) {
        throw new StoreLockedException(dir);
      }
      return new StoreLock(key, channel);
    } catch (Throwable t) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          t.addSuppressed(e);
        }
      }
      HELD.remove(key);
      throw t; // precise rethrow: IOException or unchecked
    }
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (FileSystemException | UnsupportedOperationException e) {
      // Access denied, read-only file system, a directory in the way, ...
      throw new IOException(
          "cannot open the build lock file "
              + file
              + " ("
              + e
              + "): a build must be able to create and write this file in the store directory;"
              + " to read a finished store, use EmbeddingStore.open, which writes nothing",
          e);
    }
  }

  private static boolean tryLock(FileChannel channel, Path file) throws IOException {
    try {
      return channel.tryLock() != null;
    } catch (OverlappingFileLockException e) {
      // Only a lock taken on this file outside this class gets here; the registry covers ours.
      return false;
    } catch (ClosedByInterruptException e) {
      InterruptedIOException ie = new InterruptedIOException("interrupted while locking " + file);
      ie.initCause(e);
      throw ie;
    } catch (IOException e) {
      throw new IOException(
          "cannot lock "
              + file
              + ": "
              + e.getMessage()
              + "; build the store on a local file system that supports file locks",
          e);
    }
  }

  /** Releases the lock (closing the channel releases it); idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } finally {
      HELD.remove(key);
    }
  }
}
