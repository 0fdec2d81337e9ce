package dev.lit4j.store;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * A read-only, memory-mapped store of {@code N} image embeddings of dimension {@code D}, made by
 * {@link EmbeddingStoreBuilder} (format: see the package documentation).
 *
 * <pre>{@code
 * try (EmbeddingStore store = EmbeddingStore.open(Path.of("store"), tower.identity())) {
 *   Embedding first = store.get(0);
 *   EmbeddingMatrix batch = store.rows(0, 256); // [256, D], unit-norm rows
 * }
 * }</pre>
 *
 * <p>The data file is mapped read-only in segments of whole rows, each below 2 GiB, and the ids of
 * {@code index.jsonl} are read only when first asked for ({@link #ids()}, {@link #rowOf}), so
 * stores of any size open in constant heap; rows are copied out on access, by range ({@link #rows})
 * or by index ({@link #gather}, for training batches). Rows come back L2-normalised in float32
 * (float16 stores are widened, then re-normalised).
 *
 * <p>Thread-safe: reads may run concurrently. {@link #close()} is idempotent; afterwards every
 * access throws {@link IllegalStateException}. The mapping itself is released by the garbage
 * collector (Java 17 offers no explicit unmap).
 */
public final class EmbeddingStore implements AutoCloseable {
  /** The largest mapped segment: {@link Integer#MAX_VALUE} bytes, a limit of {@link ByteBuffer}. */
  static final long MAX_SEGMENT_BYTES = Integer.MAX_VALUE;

  private final Path dir;
  private final StoreMetadata metadata;
  private final int size;
  private final ByteBuffer[] segments;
  private final int rowsPerSegment;
  private final int rowBytes;
  private final Path dataFile;
  private final long dataOffset;
  private final Object readerLock = new Object();
  // For gather: opened on first use, and again if an interrupt of a reading thread closed it.
  private volatile FileChannel reader; // written under readerLock
  // Read from index.jsonl on first use, so that opening costs no heap per row.
  private final StoreIds ids;
  private volatile boolean closed;

  private EmbeddingStore(
      Path dir,
      StoreMetadata metadata,
      ByteBuffer[] segments,
      int rowsPerSegment,
      Path dataFile,
      long dataOffset) {
    this.dir = dir;
    this.dataFile = dataFile;
    this.dataOffset = dataOffset;
    this.metadata = metadata;
    this.size = (int) metadata.size();
    this.segments = segments;
    this.rowsPerSegment = rowsPerSegment;
    this.rowBytes = metadata.dimension() * metadata.dtype().bytes();
    this.ids = new StoreIds(dir, size);
  }

  /**
   * Embeds every image of {@code manifest} into a store in {@code dir} (or resumes or checks an
   * earlier build there) and opens it: the common case of {@link EmbeddingStoreBuilder} in one
   * call, with its defaults (batch size, decode threads, float32, no progress). Images that cannot
   * be read get no row and a line in {@code dir/rejects.jsonl}; use the builder for other settings,
   * progress, or the counts of a {@link StoreBuildSummary}.
   *
   * <pre>{@code
   * try (EmbeddingStore store = EmbeddingStore.build(Path.of("images.csv"), Path.of("store"), tower)) {
   *   EmbeddingMatrix all = store.all();
   * }
   * }</pre>
   *
   * @param manifest the image manifest (see {@link Manifest})
   * @param dir the store directory, created if absent
   * @param tower the locked tower; not closed
   * @return the complete store, open; the caller closes it
   * @throws IOException if the manifest cannot be read or the store cannot be written
   * @throws StoreLockedException if another build of {@code dir} is running
   */
  public static EmbeddingStore build(Path manifest, Path dir, ImageTower tower) throws IOException {
    EmbeddingStoreBuilder.builder(manifest, dir, tower).build();
    return open(dir, tower.identity());
  }

  /**
   * Opens a complete store and checks that it was built by the expected tower.
   *
   * @param dir the store directory
   * @param expected the identity of the tower whose embeddings the caller wants
   * @return the open store; the caller closes it
   * @throws IllegalArgumentException if {@code dir} holds no store, or the store was built with a
   *     different tower (both identities are named)
   * @throws IllegalStateException if the store is incomplete (re-run the builder to resume)
   * @throws IOException if the files cannot be read or are inconsistent with each other
   */
  public static EmbeddingStore open(Path dir, TowerIdentity expected) throws IOException {
    return open(dir, expected, MAX_SEGMENT_BYTES);
  }

  static EmbeddingStore open(Path dir, TowerIdentity expected, long maxSegmentBytes)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(expected, "expected");
    Path metadataFile = dir.resolve(StoreFiles.METADATA);
    if (!Files.isRegularFile(metadataFile)) {
      throw new IllegalArgumentException(
          dir
              + " is not an embedding store: it has no "
              + StoreFiles.METADATA
              + "; build one with EmbeddingStoreBuilder");
    }
    StoreMetadata metadata = StoreFiles.readMetadata(metadataFile);
    if (!metadata.completed()) {
      throw new IllegalStateException(
          "the embedding store in "
              + dir
              + " is incomplete (its build was interrupted); re-run EmbeddingStoreBuilder with the"
              + " same manifest and tower to resume it");
    }
    if (!metadata.tower().equals(expected)) {
      throw new IllegalArgumentException(
          "the embedding store in "
              + dir
              + " was built with tower "
              + StoreFiles.describe(metadata.tower())
              + ", but tower "
              + StoreFiles.describe(expected)
              + " was expected; its embeddings are not comparable. Rebuild the store with the"
              + " expected tower");
    }
    if (metadata.size() > Integer.MAX_VALUE - 8) {
      throw inconsistent(dir, "store.json says " + metadata.size() + " rows, more than supported");
    }
    if (!Files.isRegularFile(dir.resolve(StoreFiles.INDEX))) {
      throw inconsistent(dir, StoreFiles.INDEX + " is missing");
    }
    Path data = dir.resolve(StoreFiles.EMBEDDINGS);
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      NpyHeader header = NpyHeader.read(ch, data);
      if (header.dtype() != metadata.dtype()
          || header.rows() != metadata.size()
          || header.cols() != metadata.dimension()) {
        throw inconsistent(
            dir,
            "embeddings.npy holds "
                + header.rows()
                + " x "
                + header.cols()
                + " "
                + header.dtype()
                + ", store.json says "
                + metadata.size()
                + " x "
                + metadata.dimension()
                + " "
                + metadata.dtype());
      }
      long expectedSize = header.dataOffset() + header.dataBytes();
      if (ch.size() != expectedSize) {
        throw inconsistent(
            dir, "embeddings.npy has " + ch.size() + " bytes, its header implies " + expectedSize);
      }
      long rowBytes = (long) header.cols() * header.dtype().bytes();
      int rowsPerSegment =
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxSegmentBytes / rowBytes));
      int count = (int) ((header.rows() + rowsPerSegment - 1) / rowsPerSegment);
      ByteBuffer[] segments = new ByteBuffer[count];
      for (int s = 0; s < count; s++) {
        long firstRow = (long) s * rowsPerSegment;
        long rows = Math.min(rowsPerSegment, header.rows() - firstRow);
        segments[s] =
            ch.map(
                    FileChannel.MapMode.READ_ONLY,
                    header.dataOffset() + firstRow * rowBytes,
                    rows * rowBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
      }
      return new EmbeddingStore(dir, metadata, segments, rowsPerSegment, data, header.dataOffset());
    }
  }

  /** {@return N, the number of embeddings} */
  public int size() {
    checkOpen();
    return size;
  }

  /** {@return D, the embedding dimension} */
  public int dimension() {
    checkOpen();
    return metadata.dimension();
  }

  /** {@return the element type on disk} */
  public StoreDtype dtype() {
    checkOpen();
    return metadata.dtype();
  }

  /** {@return the identity of the tower that computed the embeddings} */
  public TowerIdentity identity() {
    checkOpen();
    return metadata.tower();
  }

  /**
   * {@return the SHA-256 of what the store was made from: the manifest of a built store, the source
   * digest given to {@link EmbeddingStoreWriter}} Together with {@link #size()} and {@link
   * #identity()} it tells one store's rows from another's without reading them.
   */
  public String sourceSha256() {
    checkOpen();
    return metadata.manifestSha256();
  }

  /** Receives the ids of {@link #forEachId}, in row order. */
  @FunctionalInterface
  public interface IdVisitor {
    /**
     * Receives the id of one row.
     *
     * @param row the row
     * @param id its id
     */
    void visit(int row, String id);
  }

  /**
   * Reads {@code index.jsonl} from start to end and hands each row's id to {@code visitor}, keeping
   * none: the ids of a store too large for {@link #ids()} on the heap.
   *
   * @param visitor receives {@code (row, id)} for rows {@code 0 … N-1} in order
   * @throws IOException if {@code index.jsonl} cannot be read or is inconsistent with the store
   *     (the line is named; rebuild the store)
   */
  public void forEachId(IdVisitor visitor) throws IOException {
    Objects.requireNonNull(visitor, "visitor");
    checkOpen();
    ids.forEach(visitor);
  }

  /**
   * {@return the ids of rows {@code 0 … N-1}, in row order (unmodifiable)} The first call to this
   * method or {@link #rowOf} reads {@code index.jsonl} and keeps every id on the heap (about 100
   * bytes per row); opening the store and reading rows do not.
   *
   * @throws java.io.UncheckedIOException if {@code index.jsonl} cannot be read or is inconsistent
   *     with the store (the message names the line and says to rebuild)
   */
  public List<String> ids() {
    checkOpen();
    return ids.list();
  }

  /**
   * {@return the row of the image with the given id}
   *
   * @param id the id the manifest gave the image
   * @throws IllegalArgumentException if no row has this id (rejected images have none)
   * @throws java.io.UncheckedIOException as {@link #ids()}, which the first call reads
   */
  public int rowOf(String id) {
    Objects.requireNonNull(id, "id");
    checkOpen();
    Integer row = ids.rowOf(id);
    if (row == null) {
      throw new IllegalArgumentException(
          "no embedding with id '"
              + id
              + "' in the store in "
              + dir
              + " ("
              + size
              + " rows; rejected images are listed in rejects.jsonl)");
    }
    return row;
  }

  /**
   * {@return the embedding in row {@code row}}
   *
   * @param row the row, in {@code [0, size())}
   * @throws IndexOutOfBoundsException if {@code row} is outside {@code [0, size())}
   */
  public Embedding get(int row) {
    Objects.checkIndex(row, size());
    float[] values = new float[metadata.dimension()];
    copyRows(row, row + 1, values);
    return Embedding.of(values);
  }

  /**
   * {@return rows {@code [from, to)} as a {@code [to - from, D]} batch}
   *
   * @param from the first row, inclusive
   * @param to the end row, exclusive
   * @throws IndexOutOfBoundsException if the range is outside {@code [0, size()]} or {@code from >
   *     to}
   * @throws IllegalArgumentException if the range is empty or holds more than {@link
   *     Integer#MAX_VALUE} - 8 values
   */
  public EmbeddingMatrix rows(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    long values = (long) (to - from) * metadata.dimension();
    if (from == to) {
      throw new IllegalArgumentException("the row range [" + from + ", " + to + ") is empty");
    }
    if (values > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "rows ["
              + from
              + ", "
              + to
              + ") hold "
              + values
              + " values, more than one Java array can; read smaller ranges");
    }
    float[] out = new float[(int) values];
    copyRows(from, to, out);
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(to - from, metadata.dimension(), out));
  }

  /**
   * {@return every row; for stores that fit in one Java array}
   *
   * @throws IllegalArgumentException if the store holds more than {@link Integer#MAX_VALUE} - 8
   *     values
   */
  public EmbeddingMatrix all() {
    return rows(0, size());
  }

  /**
   * Copies the rows {@code rows[0], rows[1], …} (any order, repeats allowed) into {@code out} as a
   * row-major {@code [rows.length, D]} block, L2-normalised in float32 exactly as {@link #rows}
   * returns them: the gather a training step needs, without a copy of the whole store. Safe to call
   * from several threads at once.
   *
   * <p>Each row is read with a positional read of the data file rather than through the mapping: a
   * page fault on a mapping makes Linux read ahead around the faulting page (128 KiB by default),
   * about a hundred times a row of D = 576 in float16, which for random rows of a store larger than
   * memory multiplies the disk traffic and evicts the page cache; a positional read brings in
   * little more than the row's pages. An interrupt of a thread inside this method fails that call
   * (Java closes the channel it was reading); later calls open the file again.
   *
   * @param rows the rows to read, each in {@code [0, size())}
   * @param out receives {@code rows.length * D} values from index 0
   * @throws IndexOutOfBoundsException if a row is outside {@code [0, size())} (the position in
   *     {@code rows} is named)
   * @throws IllegalArgumentException if {@code out} is shorter than {@code rows.length * D}, or a
   *     stored row is the zero vector or not finite (the row is named)
   */
  public void gather(int[] rows, float[] out) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(out, "out");
    checkOpen();
    int d = metadata.dimension();
    if (out.length < (long) rows.length * d) {
      throw new IllegalArgumentException(
          "out holds "
              + out.length
              + " values, "
              + rows.length
              + " rows of dimension "
              + d
              + " need "
              + (long) rows.length * d
              + "; allocate rows.length * dimension() floats");
    }
    ByteBuffer buffer = ByteBuffer.allocate(rowBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < rows.length; k++) {
      int row = rows[k];
      if (row < 0 || row >= size) {
        throw new IndexOutOfBoundsException(
            "rows[" + k + "] = " + row + " is outside [0, " + size + ") of the store in " + dir);
      }
      readRow(row, buffer);
      if (metadata.dtype() == StoreDtype.FLOAT32) {
        buffer.asFloatBuffer().get(out, k * d, d);
      } else {
        for (int i = 0; i < d; i++) {
          out[k * d + i] = Float16.toFloat(buffer.getShort(2 * i));
        }
      }
      normaliseInPlace(out, k * d, d, row);
    }
  }

  /** Reads row {@code row} into {@code buffer}, flipped for reading. */
  private void readRow(int row, ByteBuffer buffer) {
    long position = dataOffset + (long) row * rowBytes;
    for (int attempt = 0; ; attempt++) {
      buffer.clear();
      try {
        FileChannel ch = reader();
        long at = position;
        while (buffer.hasRemaining()) {
          int n = ch.read(buffer, at);
          if (n < 0) {
            throw inconsistent(dir, "embeddings.npy ends before row " + row);
          }
          at += n;
        }
        buffer.flip();
        return;
      } catch (ClosedByInterruptException e) {
        throw new UncheckedIOException(
            "interrupted while reading row " + row + " of the embedding store in " + dir, e);
      } catch (ClosedChannelException e) {
        // Another thread's interrupt closed the shared channel: open it again, once.
        checkOpen();
        if (attempt > 0) {
          throw new UncheckedIOException("cannot read row " + row + " of " + dataFile, e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read row " + row + " of " + dataFile, e);
      }
    }
  }

  private FileChannel reader() throws IOException {
    FileChannel ch = reader;
    if (ch == null || !ch.isOpen()) {
      synchronized (readerLock) {
        checkOpen();
        ch = reader;
        if (ch == null || !ch.isOpen()) {
          ch = FileChannel.open(dataFile, StandardOpenOption.READ);
          reader = ch;
        }
      }
    }
    return ch;
  }

  /**
   * Scales {@code out[offset, offset + d)} to unit L2 norm with the arithmetic of {@link
   * EmbeddingMatrix#normalising} (a double sum of squares, then one multiply per value), so that
   * {@link #gather} returns the same bits as {@link #rows}.
   */
  private static void normaliseInPlace(float[] out, int offset, int d, int row) {
    double sumSq = 0;
    for (int i = 0; i < d; i++) {
      float v = out[offset + i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "row " + row + " value at index " + i + " is " + v + "; embeddings must be finite");
      }
      sumSq += (double) v * v;
    }
    if (sumSq == 0) {
      throw new IllegalArgumentException(
          "row " + row + " is the zero vector; it has no direction and cannot be normalised");
    }
    double inv = 1.0 / Math.sqrt(sumSq);
    for (int i = 0; i < d; i++) {
      out[offset + i] = (float) (out[offset + i] * inv);
    }
  }

  private void copyRows(int from, int to, float[] out) {
    copyRows(from, to, out, 0);
  }

  private void copyRows(int from, int to, float[] out, int outOffset) {
    int d = metadata.dimension();
    int row = from;
    while (row < to) {
      int segment = row / rowsPerSegment;
      int inSegment = row - segment * rowsPerSegment;
      int n = Math.min(to - row, rowsPerSegment - inSegment);
      // slice() gives this call its own position, so concurrent readers never interfere.
      ByteBuffer slice =
          segments[segment]
              .slice(inSegment * rowBytes, n * rowBytes)
              .order(ByteOrder.LITTLE_ENDIAN);
      int offset = outOffset + (row - from) * d;
      if (metadata.dtype() == StoreDtype.FLOAT32) {
        slice.asFloatBuffer().get(out, offset, n * d);
      } else {
        for (int i = 0; i < n * d; i++) {
          out[offset + i] = Float16.toFloat(slice.getShort(2 * i));
        }
      }
      row += n;
    }
  }

  /** Marks the store closed and closes the file {@link #gather} reads; idempotent. */
  @Override
  public void close() {
    synchronized (readerLock) {
      closed = true;
      FileChannel ch = reader;
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // Read-only: nothing is lost; the descriptor is released either way.
        }
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("embedding store " + dir + " is closed");
    }
  }

  private static IOException inconsistent(Path dir, String what) {
    return StoreIds.inconsistent(dir, what);
  }
}
