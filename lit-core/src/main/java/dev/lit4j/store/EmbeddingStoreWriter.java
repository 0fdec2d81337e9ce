package dev.lit4j.store;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes an {@link EmbeddingStore} from embeddings computed elsewhere (for example on a cluster),
 * in the same format and with the same crash-safety as {@link EmbeddingStoreBuilder}: rows and
 * rejects are appended in the order given, and the store is complete only once {@link #finish()}
 * returns. Embeddings are stored in float32 unless {@link #create(Path, TowerIdentity, int, String,
 * StoreDtype)} names float16.
 *
 * <pre>{@code
 * try (EmbeddingStoreWriter writer =
 *     EmbeddingStoreWriter.create(Path.of("store"), identity, 576, sourceSha256)) {
 *   writer.add("cat-1", "s3a://bucket/cat-1.jpg", embedding);
 *   writer.reject("dog-7", "s3a://bucket/dog-7.jpg", "CORRUPT", "premature end of data");
 *   writer.finish();
 * }
 * }</pre>
 *
 * <p>The line numbers of {@code rejects.jsonl} count the rows and rejects given, from 1. {@code
 * store.json}'s {@code manifestSha256} is the {@code sourceSha256} given (a digest of whatever the
 * embeddings were made from), and {@code manifestEntries} the number of rows plus rejects. Unlike a
 * built store, a written store cannot be resumed: a writer that is closed without {@link #finish()}
 * leaves an incomplete store, which {@link EmbeddingStore#open} refuses; delete the directory and
 * write again.
 *
 * <p>The writer holds the directory's build lock from {@link #create} until it is closed. Not
 * thread-safe.
 */
public final class EmbeddingStoreWriter implements AutoCloseable {
  /** Entries buffered before they are committed as one batch. */
  static final int BATCH = 1024;

  private final Path dir;
  private final StoreLock lock;
  private final StoreWriter writer;
  private final TowerIdentity tower;
  private final int dimension;
  private final String sourceSha256;
  private final StoreDtype dtype;
  private final List<ManifestEntry> embedded = new ArrayList<>();
  private final List<Reject> rejected = new ArrayList<>();
  private final float[] rows;
  private int line;
  private boolean finished;
  private boolean closed;

  private EmbeddingStoreWriter(
      Path dir,
      StoreLock lock,
      StoreWriter writer,
      TowerIdentity tower,
      int dimension,
      String sourceSha256,
      StoreDtype dtype) {
    this.dir = dir;
    this.dtype = dtype;
    this.lock = lock;
    this.writer = writer;
    this.tower = tower;
    this.dimension = dimension;
    this.sourceSha256 = sourceSha256;
    this.rows = new float[BATCH * dimension];
  }

  /**
   * Starts writing a store in {@code dir}, which must be new or empty.
   *
   * @param dir the store directory; created if absent
   * @param tower the identity of the tower that computed the embeddings
   * @param dimension D, the embedding dimension
   * @param sourceSha256 a digest of the source of the embeddings, recorded as {@code
   *     manifestSha256}
   * @return the open writer; the caller finishes and closes it
   * @throws IllegalArgumentException if {@code dimension < 1}, {@code sourceSha256} is blank, or
   *     {@code dir} is not empty
   * @throws StoreLockedException if a build of {@code dir} is running
   * @throws IOException if the directory or its files cannot be created
   */
  public static EmbeddingStoreWriter create(
      Path dir, TowerIdentity tower, int dimension, String sourceSha256) throws IOException {
    return create(dir, tower, dimension, sourceSha256, StoreDtype.FLOAT32);
  }

  /**
   * Starts writing a store in {@code dir}, which must be new or empty, with embeddings stored as
   * {@code dtype} (float16 halves the size; see {@link StoreDtype#FLOAT16} for its rounding).
   *
   * @param dir the store directory; created if absent
   * @param tower the identity of the tower that computed the embeddings
   * @param dimension D, the embedding dimension
   * @param sourceSha256 a digest of the source of the embeddings, recorded as {@code
   *     manifestSha256}
   * @param dtype the element type on disk
   * @return the open writer; the caller finishes and closes it
   * @throws IllegalArgumentException if {@code dimension < 1}, {@code sourceSha256} is blank, or
   *     {@code dir} is not empty
   * @throws StoreLockedException if a build of {@code dir} is running
   * @throws IOException if the directory or its files cannot be created
   */
  public static EmbeddingStoreWriter create(
      Path dir, TowerIdentity tower, int dimension, String sourceSha256, StoreDtype dtype)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(tower, "tower");
    Objects.requireNonNull(sourceSha256, "sourceSha256");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    if (sourceSha256.isBlank()) {
      throw new IllegalArgumentException("sourceSha256 must not be blank");
    }
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      List<String> found = files.map(p -> p.getFileName().toString()).sorted().limit(5).toList();
      if (!found.isEmpty()) {
        throw new IllegalArgumentException(
            "store directory " + dir + " is not empty (found " + found + "); choose a new one");
      }
    }
    StoreLock lock = StoreLock.acquire(dir);
    try {
      BuildProgress initial = new BuildProgress(sourceSha256, tower, dtype, dimension, 0, 0, 0, 0);
      StoreWriter writer = StoreWriter.create(dir, initial);
      EmbeddingStoreWriter w =
          new EmbeddingStoreWriter(dir, lock, writer, tower, dimension, sourceSha256, dtype);
      w.writeMetadata(false);
      return w;
    } catch (IOException | RuntimeException e) {
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Appends the embedding of one image as the next row.
   *
   * @param id the image's id
   * @param path the image's path or URI, as recorded in the index
   * @param embedding its unit-norm embedding, of the store's dimension
   * @throws IllegalArgumentException if the dimension differs (both are named)
   * @throws IllegalStateException if the writer is finished or closed
   * @throws IOException if a batch cannot be written
   */
  public void add(String id, String path, Embedding embedding) throws IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(embedding, "embedding");
    checkOpen();
    if (embedding.dimension() != dimension) {
      throw new IllegalArgumentException(
          "embedding of '"
              + id
              + "' has dimension "
              + embedding.dimension()
              + ", the store has dimension "
              + dimension);
    }
    System.arraycopy(embedding.toArray(), 0, rows, embedded.size() * dimension, dimension);
    embedded.add(new ManifestEntry(++line, path, id, Path.of("")));
    flushIfFull();
  }

  /**
   * Records an image that has no embedding, as a line of {@code rejects.jsonl}.
   *
   * @param id the image's id
   * @param path the image's path or URI, as the source names it
   * @param reason the classification, e.g. {@code "CORRUPT"} (see the package documentation)
   * @param detail what went wrong
   * @throws IllegalStateException if the writer is finished or closed
   * @throws IOException if a batch cannot be written
   */
  public void reject(String id, String path, String reason, String detail) throws IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    checkOpen();
    rejected.add(new Reject(new ManifestEntry(++line, path, id, Path.of("")), reason, detail));
    flushIfFull();
  }

  /**
   * Commits what is buffered and completes the store: after this, {@link EmbeddingStore#open} opens
   * it.
   *
   * @throws IllegalStateException if no row was added, or the writer is finished or closed
   * @throws IOException if the store cannot be written
   */
  public void finish() throws IOException {
    checkOpen();
    flush();
    if (writer.progress().rowsWritten() == 0) {
      throw new IllegalStateException("no embedding was added; a store needs at least one row");
    }
    writer.finish();
    finished = true;
    writeMetadata(true);
    Files.deleteIfExists(dir.resolve(StoreFiles.PROGRESS));
    close();
  }

  /** Releases the files and the lock; without {@link #finish()} the store stays incomplete. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (lock) {
      writer.close();
    }
  }

  private void checkOpen() {
    if (finished || closed) {
      throw new IllegalStateException("the store writer for " + dir + " is closed");
    }
  }

  private void flushIfFull() throws IOException {
    if (embedded.size() + rejected.size() >= BATCH) {
      flush();
    }
  }

  private void flush() throws IOException {
    int entries = embedded.size() + rejected.size();
    if (entries == 0) {
      return;
    }
    FloatMatrix batch =
        embedded.isEmpty()
            ? null
            : FloatMatrix.wrap(
                embedded.size(), dimension, Arrays.copyOf(rows, embedded.size() * dimension));
    writer.append(batch, embedded, rejected, entries);
    embedded.clear();
    rejected.clear();
  }

  private void writeMetadata(boolean completed) throws IOException {
    BuildProgress p = writer.progress();
    StoreMetadata metadata =
        new StoreMetadata(
            completed,
            completed ? p.rowsWritten() : 0,
            dimension,
            dtype,
            tower,
            sourceSha256,
            completed ? p.entriesDone() : 0,
            completed ? p.entriesDone() - p.rowsWritten() : 0);
    StoreFiles.writeAtomically(dir.resolve(StoreFiles.METADATA), StoreFiles.toJson(metadata));
  }
}
