package dev.lit4j.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Another build holds the lock of an embedding store directory: {@link
 * EmbeddingStoreBuilder#build()} refuses to write into a store that a build in this or another
 * process is writing, before it touches any of the store's files.
 *
 * <p>The lock is an operating-system lock on the file {@code .lock} in the directory, released when
 * the holding build returns or its process ends (even by a crash), so the file itself never blocks
 * a build; only a running build does. Wait for that build to finish and call {@code build()} again:
 * it verifies or resumes the store.
 */
public final class StoreLockedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  /**
   * Creates an exception for the locked store directory {@code directory}.
   *
   * @param directory the store directory, as the builder was given it
   */
  StoreLockedException(Path directory) {
    super(
        "another build is writing the embedding store in "
            + Objects.requireNonNull(directory, "directory")
            + " (it holds the lock on "
            + directory.resolve(StoreFiles.LOCK)
            + "); wait for that build to finish, then call build() again to verify or resume the"
            + " store, or build into another directory. A left-over "
            + StoreFiles.LOCK
            + " file never blocks a build: the operating system releases the lock when the"
            + " holding process ends, so a build in a running process holds it now");
    this.directory = directory;
  }

  /** {@return the store directory whose lock is held (not serialised)} */
  public Path directory() {
    return directory;
  }
}
