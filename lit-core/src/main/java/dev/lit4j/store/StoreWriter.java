package dev.lit4j.store;

import com.google.gson.JsonObject;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.math.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends batches to the partial files of a store under construction and commits each batch
 * durably: data, index and rejects are forced to disk first, then {@code progress.json} is replaced
 * atomically. A crash at any point leaves a progress record that describes only flushed bytes;
 * {@link #resume} truncates whatever a crashed run wrote beyond it.
 *
 * <p>Not thread-safe; one builder thread owns it.
 */
final class StoreWriter implements AutoCloseable {
  private final Path dir;
  private final int headerLength;
  private final long rowBytes;
  private final FileChannel data;
  private final FileChannel index;
  private final FileChannel rejects;
  private BuildProgress progress;

  private StoreWriter(Path dir, BuildProgress progress, boolean fresh) throws IOException {
    this.dir = dir;
    this.progress = progress;
    this.headerLength = NpyHeader.encode(progress.dtype(), 0, progress.dimension()).length;
    this.rowBytes = (long) progress.dimension() * progress.dtype().bytes();
    StandardOpenOption[] options =
        fresh
            ? new StandardOpenOption[] {
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING
            }
            : new StandardOpenOption[] {StandardOpenOption.WRITE};
    FileChannel d = null;
    FileChannel i = null;
    try {
      d = FileChannel.open(partial(StoreFiles.EMBEDDINGS), options);
      i = FileChannel.open(partial(StoreFiles.INDEX), options);
      this.rejects = FileChannel.open(dir.resolve(StoreFiles.REJECTS), options);
    } catch (IOException | RuntimeException e) {
      closeQuietly(i, e);
      closeQuietly(d, e);
      throw e;
    }
    this.data = d;
    this.index = i;
  }

  /** Starts a new build: creates empty partial files and the initial progress record. */
  static StoreWriter create(Path dir, BuildProgress initial) throws IOException {
    StoreWriter w = new StoreWriter(dir, initial, true);
    try {
      w.writeFully(
          w.data, ByteBuffer.wrap(NpyHeader.encode(initial.dtype(), 0, initial.dimension())), 0);
      w.commit(initial);
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /**
   * Continues a build from its committed progress: restores partial files a crashed finalisation
   * had already renamed, and truncates each file to its committed length.
   *
   * @throws IOException if a partial file is missing or shorter than committed (the store is
   *     damaged; the message says to delete the directory)
   */
  static StoreWriter resume(Path dir, BuildProgress committed) throws IOException {
    for (String name : List.of(StoreFiles.EMBEDDINGS, StoreFiles.INDEX)) {
      Path partial = dir.resolve(name + StoreFiles.PARTIAL);
      Path done = dir.resolve(name);
      if (Files.notExists(partial) && Files.exists(done)) {
        Files.move(done, partial, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    StoreWriter w;
    try {
      w = new StoreWriter(dir, committed, false);
    } catch (java.nio.file.NoSuchFileException e) {
      throw damaged(dir, e.getFile() + " is missing");
    }
    try {
      long dataLength = w.headerLength + committed.rowsWritten() * w.rowBytes;
      w.truncate(w.data, dataLength, StoreFiles.EMBEDDINGS + StoreFiles.PARTIAL);
      w.truncate(w.index, committed.indexBytes(), StoreFiles.INDEX + StoreFiles.PARTIAL);
      w.truncate(w.rejects, committed.rejectsBytes(), StoreFiles.REJECTS);
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  BuildProgress progress() {
    return progress;
  }

  /**
   * Appends one batch and commits it.
   *
   * @param embeddings the unit-norm {@code [embedded.size(), D]} rows for {@code embedded}, in
   *     order, or {@code null} if none
   * @param embedded the entries that got a row
   * @param rejected the entries that did not
   * @param entries how many manifest entries the batch covered
   */
  void append(
      FloatMatrix embeddings, List<ManifestEntry> embedded, List<Reject> rejected, int entries)
      throws IOException {
    long row = progress.rowsWritten();
    if (!embedded.isEmpty()) {
      writeFully(data, encodeRows(embeddings), headerLength + row * rowBytes);
    }
    StringBuilder indexLines = new StringBuilder();
    for (ManifestEntry e : embedded) {
      JsonObject o = new JsonObject();
      o.addProperty("row", row++);
      o.addProperty("id", e.id());
      o.addProperty("path", e.path());
      indexLines.append(StoreFiles.LINES.toJson(o)).append('\n');
    }
    StringBuilder rejectLines = new StringBuilder();
    for (Reject r : rejected) {
      JsonObject o = new JsonObject();
      o.addProperty("line", r.entry().line());
      o.addProperty("id", r.entry().id());
      o.addProperty("path", r.entry().path());
      o.addProperty("reason", r.reason());
      o.addProperty("detail", r.detail());
      rejectLines.append(StoreFiles.LINES.toJson(o)).append('\n');
    }
    byte[] indexBytes = indexLines.toString().getBytes(StandardCharsets.UTF_8);
    byte[] rejectBytes = rejectLines.toString().getBytes(StandardCharsets.UTF_8);
    writeFully(index, ByteBuffer.wrap(indexBytes), progress.indexBytes());
    writeFully(rejects, ByteBuffer.wrap(rejectBytes), progress.rejectsBytes());
    data.force(false);
    index.force(false);
    rejects.force(false);
    commit(progress.advance(entries, embedded.size(), indexBytes.length, rejectBytes.length));
  }

  /**
   * Writes the final {@code .npy} header and renames the partial files to their final names. The
   * caller then writes {@code store.json} with {@code completed = true} and deletes the progress
   * record.
   */
  void finish() throws IOException {
    byte[] header =
        NpyHeader.encode(progress.dtype(), progress.rowsWritten(), progress.dimension());
    if (header.length != headerLength) {
      throw new IllegalStateException(
          "npy header length changed from " + headerLength + " to " + header.length);
    }
    writeFully(data, ByteBuffer.wrap(header), 0);
    data.force(true);
    index.force(true);
    rejects.force(true);
    close();
    for (String name : List.of(StoreFiles.EMBEDDINGS, StoreFiles.INDEX)) {
      Files.move(
          dir.resolve(name + StoreFiles.PARTIAL),
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
    AtomicFiles.forceDirectory(dir);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (FileChannel ch : new FileChannel[] {rejects, index, data}) {
      try {
        ch.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private ByteBuffer encodeRows(FloatMatrix rows) {
    float[] values = rows.toArray();
    ByteBuffer out =
        ByteBuffer.allocate(values.length * progress.dtype().bytes())
            .order(ByteOrder.LITTLE_ENDIAN);
    if (progress.dtype() == StoreDtype.FLOAT32) {
      out.asFloatBuffer().put(values);
    } else {
      for (float v : values) {
        out.putShort(Float16.fromFloat(v));
      }
    }
    return out.rewind();
  }

  private void commit(BuildProgress next) throws IOException {
    StoreFiles.writeAtomically(dir.resolve(StoreFiles.PROGRESS), StoreFiles.toJson(next));
    progress = next;
  }

  private void truncate(FileChannel ch, long length, String name) throws IOException {
    if (ch.size() < length) {
      throw damaged(dir, name + " has " + ch.size() + " bytes but " + length + " were committed");
    }
    ch.truncate(length);
  }

  private void writeFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += ch.write(buffer, at);
    }
  }

  private Path partial(String name) {
    return dir.resolve(name + StoreFiles.PARTIAL);
  }

  private static IOException damaged(Path dir, String what) {
    return new IOException(
        "the partial embedding store in "
            + dir
            + " is damaged: "
            + what
            + "; delete the directory and build again");
  }

  private static void closeQuietly(FileChannel ch, Exception primary) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        primary.addSuppressed(e);
      }
    }
  }
}
