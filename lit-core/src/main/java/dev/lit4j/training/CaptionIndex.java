package dev.lit4j.training;

import dev.lit4j.io.AtomicFiles;
import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the captions of each store row are in a captions file, so that they can be read by row
 * without holding them on the heap: a binary file beside the captions file, {@code
 * <captions>.lit4j-index}, memory-mapped.
 *
 * <p>Layout, little-endian: a 128-byte header (magic {@code LIT4JCIX}, format version, row count
 * {@code N}, caption count {@code C}, the captions file's size and modification time in
 * nanoseconds, and the SHA-256 of the store's source digest, size, dimension and tower identity),
 * then {@code long start[N + 1]} (row {@code r}'s captions are entries {@code [start[r],
 * start[r+1])}), then {@code long entry[C]}, each the byte offset of a captions-file line shifted
 * left by 16 bits, or'ed with the caption's position in that line's {@code "captions"} array (0 for
 * {@code "caption"}). Captions of one row keep file order.
 *
 * <p>Staleness: the header is compared with the captions file's size and modification time and with
 * the store; when either differs the index is rebuilt (written to a temporary file, then moved into
 * place atomically). An edit of the captions file that keeps both its size and its modification
 * time is not detected; delete the index to force a rebuild. A header that is not an index's, or
 * whose lengths do not add up, is an error that names the file.
 *
 * <p>Building reads the store's ids once ({@link EmbeddingStore#forEachId}) into an open-addressing
 * table of 96-bit id fingerprints (16 bytes per slot, at most 2/3 full: about 500 MB at 20 million
 * rows), then reads the captions file twice (count, then fill). A caption is matched to a row by
 * fingerprint; a false match needs a 96-bit collision (probability below 1e-14 at 10^8 ids).
 *
 * <p>Thread-safe for reads; {@link #close()} is idempotent.
 */
final class CaptionIndex implements AutoCloseable {
  static final String SUFFIX = ".lit4j-index";
  static final long MAGIC = 0x5849_434A_3454_494CL; // "LIT4JCIX" little-endian
  static final int VERSION = 1;
  static final int HEADER_BYTES = 128;
  private static final int ORDINAL_BITS = 16;
  private static final long MAX_OFFSET = (1L << (63 - ORDINAL_BITS)) - 1;

  private final Path captionsFile;
  private final Path indexFile;
  private final FileChannel captions;
  private final FileChannel index;
  private final MappedLongs start;
  private final MappedLongs entries;
  private final int rows;
  private volatile boolean closed;

  private CaptionIndex(
      Path captionsFile,
      Path indexFile,
      FileChannel captions,
      FileChannel index,
      MappedLongs start,
      MappedLongs entries,
      int rows) {
    this.captionsFile = captionsFile;
    this.indexFile = indexFile;
    this.captions = captions;
    this.index = index;
    this.start = start;
    this.entries = entries;
    this.rows = rows;
  }

  /** {@return the index file of {@code captionsFile}} */
  static Path indexFileOf(Path captionsFile) {
    return captionsFile.resolveSibling(captionsFile.getFileName() + SUFFIX);
  }

  /**
   * Opens the index of {@code captionsFile} for {@code store}, building it first if it is absent or
   * stale.
   *
   * @throws IllegalArgumentException if a store row has no caption, a caption names an id the store
   *     does not hold, a caption is blank, or a line is malformed (ids, file and line are named)
   * @throws IOException if a file cannot be read or written, or the index is corrupt (named, with
   *     the fix)
   */
  static CaptionIndex open(EmbeddingStore store, Path captionsFile) throws IOException {
    if (!Files.isRegularFile(captionsFile)) {
      throw new java.nio.file.NoSuchFileException(
          captionsFile.toString(), null, "the captions file does not exist");
    }
    Path indexFile = indexFileOf(captionsFile);
    CaptionIndexHeader expected = CaptionIndexHeader.of(store, captionsFile);
    if (!Files.isRegularFile(indexFile)
        || !expected.sameSource(CaptionIndexHeader.read(indexFile))) {
      build(store, captionsFile, indexFile, expected);
    }
    return map(captionsFile, indexFile, expected);
  }

  int rows() {
    return rows;
  }

  Path file() {
    return indexFile;
  }

  int count(int row) {
    checkOpen();
    java.util.Objects.checkIndex(row, rows);
    return (int) (start.get(row + 1) - start.get(row));
  }

  String caption(int row, int which) {
    java.util.Objects.checkIndex(which, count(row));
    long entry = entries.get(start.get(row) + which);
    long offset = entry >>> ORDINAL_BITS;
    int ordinal = (int) (entry & ((1 << ORDINAL_BITS) - 1));
    String line;
    try {
      line = readLine(captions, offset);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the captions of row " + row + " from " + captionsFile, e);
    }
    List<String> all;
    try {
      all = CaptionsFile.parse(line, captionsFile + " at byte " + offset).captions();
    } catch (IllegalArgumentException e) {
      throw changed(row, e);
    }
    if (ordinal >= all.size()) {
      throw changed(row, null);
    }
    return all.get(ordinal);
  }

  private IllegalStateException changed(int row, Exception cause) {
    return new IllegalStateException(
        "the caption index "
            + indexFile
            + " does not match "
            + captionsFile
            + " at row "
            + row
            + ": the captions file changed after the index was opened; open the pairs again (the"
            + " index is rebuilt), or delete the index",
        cause);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      captions.close();
      index.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the caption index " + indexFile + " is closed");
    }
  }

  private static CaptionIndex map(Path captionsFile, Path indexFile, CaptionIndexHeader expected)
      throws IOException {
    FileChannel idx = FileChannel.open(indexFile, StandardOpenOption.READ);
    FileChannel cap = null;
    try {
      CaptionIndexHeader h = CaptionIndexHeader.read(indexFile);
      long n = h.rows;
      long expectedLength = HEADER_BYTES + Long.BYTES * (n + 1 + h.captions);
      if (idx.size() != expectedLength) {
        throw corrupt(
            indexFile,
            captionsFile,
            "it has " + idx.size() + " bytes, its header implies " + expectedLength);
      }
      MappedLongs start = MappedLongs.map(idx, FileChannel.MapMode.READ_ONLY, HEADER_BYTES, n + 1);
      MappedLongs entries =
          MappedLongs.map(
              idx, FileChannel.MapMode.READ_ONLY, HEADER_BYTES + Long.BYTES * (n + 1), h.captions);
      // O(N) and sequential: cheap next to training, and it catches a damaged table before use.
      long previous = start.get(0);
      if (previous != 0 || start.get(n) != h.captions) {
        throw corrupt(indexFile, captionsFile, "its row table does not span its captions");
      }
      for (long r = 1; r <= n; r++) {
        long s = start.get(r);
        if (s <= previous) {
          throw corrupt(indexFile, captionsFile, "row " + (r - 1) + " has no captions");
        }
        previous = s;
      }
      cap = FileChannel.open(captionsFile, StandardOpenOption.READ);
      return new CaptionIndex(captionsFile, indexFile, cap, idx, start, entries, (int) n);
    } catch (IOException | RuntimeException e) {
      idx.close();
      if (cap != null) {
        cap.close();
      }
      throw e;
    }
  }

  private static IOException corrupt(Path indexFile, Path captionsFile, String what) {
    return new IOException(
        "the caption index "
            + indexFile
            + " is corrupt: "
            + what
            + "; delete it, and it is rebuilt from "
            + captionsFile
            + " on the next open");
  }

  private static void build(
      EmbeddingStore store, Path captionsFile, Path indexFile, CaptionIndexHeader h)
      throws IOException {
    int n = store.size();
    IdTable table = new IdTable(n);
    store.forEachId((row, id) -> table.put(id, row));
    int[] counts = new int[n];
    List<String> unknown = new ArrayList<>();
    long[] unknownCount = {0};
    scan(
        captionsFile,
        (offset, number, line) -> {
          int row = table.get(line.id());
          if (row < 0) {
            unknownCount[0]++;
            if (unknown.size() < 5) {
              unknown.add(line.id());
            }
          } else {
            counts[row] += line.captions().size();
          }
        });
    if (unknownCount[0] > 0) {
      throw new IllegalArgumentException(
          captionsFile
              + " has captions for "
              + unknownCount[0]
              + " line(s) whose id the embedding store does not hold, e.g. "
              + unknown
              + "; the store has "
              + n
              + " images (rejected images have no embedding)");
    }
    long total = 0;
    int uncaptioned = 0;
    for (int c : counts) {
      total += c;
      if (c == 0) {
        uncaptioned++;
      }
    }
    if (uncaptioned > 0) {
      List<String> examples = new ArrayList<>();
      store.forEachId(
          (row, id) -> {
            if (counts[row] == 0 && examples.size() < 5) {
              examples.add(id);
            }
          });
      throw new IllegalArgumentException(
          uncaptioned
              + " of the store's "
              + n
              + " images have no caption in "
              + captionsFile
              + ", e.g. "
              + examples
              + "; add captions or rebuild the store without them");
    }
    Path temp = temporarySibling(indexFile);
    try {
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long length = HEADER_BYTES + Long.BYTES * (n + 1 + total);
        MappedLongs all = MappedLongs.map(out, FileChannel.MapMode.READ_WRITE, 0, length / 8);
        long s = 0;
        for (int r = 0; r < n; r++) {
          all.put(HEADER_BYTES / 8 + r, s);
          s += counts[r];
          counts[r] = 0; // from here on: captions of row r written so far
        }
        all.put(HEADER_BYTES / 8 + n, s);
        long base = HEADER_BYTES / 8 + n + 1;
        scan(
            captionsFile,
            (offset, number, line) -> {
              int row = table.get(line.id());
              if (offset > MAX_OFFSET || line.captions().size() > 1 << ORDINAL_BITS) {
                throw new IllegalArgumentException(
                    captionsFile
                        + " line "
                        + number
                        + " is beyond what a caption index addresses (byte offset below 2^47, at"
                        + " most 65536 captions per line); split the file");
              }
              long first = all.get(HEADER_BYTES / 8 + row) + counts[row];
              for (int j = 0; j < line.captions().size(); j++) {
                all.put(base + first + j, offset << ORDINAL_BITS | j);
              }
              counts[row] += line.captions().size();
            });
        h.withCaptions(total).writeTo(all);
        all.force();
        out.force(true);
      }
      AtomicFiles.moveIntoPlace(temp, indexFile);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path temporarySibling(Path target) throws IOException {
    while (true) {
      try {
        return Files.createFile(
            target.resolveSibling("." + target.getFileName() + "." + System.nanoTime() + ".tmp"));
      } catch (FileAlreadyExistsException taken) {
        // Another name.
      }
    }
  }

  @FunctionalInterface
  private interface LineVisitor {
    void visit(long offset, long number, CaptionsFile.Line line);
  }

  /** Reads every non-blank line of {@code file} with its byte offset, in order. */
  private static void scan(Path file, LineVisitor visitor) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      byte[] line = new byte[4096];
      int length = 0;
      long lineStart = 0;
      long position = 0;
      long number = 0;
      while (true) {
        buf.clear();
        int read = ch.read(buf);
        boolean end = read < 0;
        buf.flip();
        while (buf.hasRemaining() || end) {
          byte b = end ? (byte) '\n' : buf.get();
          if (b == '\n') {
            number++;
            if (!(end && length == 0)) {
              int l = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
              String text = new String(line, 0, l, StandardCharsets.UTF_8);
              if (!text.isBlank()) {
                visitor.visit(
                    lineStart, number, CaptionsFile.parse(text, file + " line " + number));
              }
            }
            length = 0;
            lineStart = position + 1;
            if (end) {
              return;
            }
          } else {
            if (length == line.length) {
              line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
          }
          position++;
        }
      }
    }
  }

  /** Reads the line that starts at byte {@code offset}, without its line end. */
  private static String readLine(FileChannel ch, long offset) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(512);
    while (true) {
      int read = ch.read(buf, offset + buf.position());
      int end = -1;
      for (int i = 0; i < buf.position(); i++) {
        if (buf.get(i) == '\n') {
          end = i;
          break;
        }
      }
      if (end < 0 && read < 0) {
        end = buf.position();
      }
      if (end >= 0) {
        int l = end > 0 && buf.get(end - 1) == '\r' ? end - 1 : end;
        return new String(buf.array(), 0, l, StandardCharsets.UTF_8);
      }
      if (!buf.hasRemaining()) {
        buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
      }
    }
  }
}
