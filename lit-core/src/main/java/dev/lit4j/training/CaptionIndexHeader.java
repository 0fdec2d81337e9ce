package dev.lit4j.training;

import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The header of a {@link CaptionIndex} file: the magic, the format version, the row and caption
 * counts, and what says which captions file and store the index was built from. Immutable.
 */
final class CaptionIndexHeader {
  final long rows;
  final long captions;
  final long captionsSize;
  final long captionsModified;
  final byte[] store;

  CaptionIndexHeader(
      long rows, long captions, long captionsSize, long captionsModified, byte[] store) {
    this.rows = rows;
    this.captions = captions;
    this.captionsSize = captionsSize;
    this.captionsModified = captionsModified;
    this.store = store;
  }

  static CaptionIndexHeader of(EmbeddingStore store, Path captionsFile) throws IOException {
    String source =
        store.sourceSha256()
            + "\n"
            + store.size()
            + "\n"
            + store.dimension()
            + "\n"
            + store.identity().describe();
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return new CaptionIndexHeader(
        store.size(),
        -1,
        Files.size(captionsFile),
        Files.getLastModifiedTime(captionsFile).to(TimeUnit.NANOSECONDS),
        digest);
  }

  CaptionIndexHeader withCaptions(long count) {
    return new CaptionIndexHeader(rows, count, captionsSize, captionsModified, store);
  }

  boolean sameSource(CaptionIndexHeader other) {
    return rows == other.rows
        && captionsSize == other.captionsSize
        && captionsModified == other.captionsModified
        && Arrays.equals(store, other.store);
  }

  void writeTo(MappedLongs file) {
    file.put(1, CaptionIndex.VERSION);
    file.put(2, rows);
    file.put(3, captions);
    file.put(4, captionsSize);
    file.put(5, captionsModified);
    ByteBuffer b = ByteBuffer.wrap(store).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      file.put(6 + i, b.getLong());
    }
    // Last, so that a file cut short while being built is never taken for an index.
    file.put(0, CaptionIndex.MAGIC);
  }

  static CaptionIndexHeader read(Path indexFile) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(CaptionIndex.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // Fill the header.
      }
    }
    b.flip();
    if (b.remaining() < CaptionIndex.HEADER_BYTES || b.getLong(0) != CaptionIndex.MAGIC) {
      throw new IOException(
          indexFile
              + " is not a caption index (no LIT4JCIX header); delete it, and it is rebuilt"
              + " from the captions file beside it on the next open");
    }
    if (b.getLong(8) != CaptionIndex.VERSION) {
      throw new IOException(
          "the caption index "
              + indexFile
              + " has format version "
              + b.getLong(8)
              + ", this version of lit4j reads "
              + CaptionIndex.VERSION
              + "; delete it, and it is rebuilt on the next open");
    }
    byte[] store = new byte[32];
    b.position(48);
    b.get(store);
    return new CaptionIndexHeader(
        b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40), store);
  }
}
