package dev.lit4j.store;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Computes the embeddings of every image in a manifest with a locked {@link ImageTower} and writes
 * them as an {@link EmbeddingStore} (format: see the package documentation).
 *
 * <pre>{@code
 * try (ImageTower tower = ...) {
 *   StoreBuildSummary summary =
 *       EmbeddingStoreBuilder.builder(Path.of("images.csv"), Path.of("store"), tower)
 *           .batchSize(64)
 *           .progress(ConsoleProgressBar.to(System.err))
 *           .build();
 * }
 * }</pre>
 *
 * <p><b>Pipeline.</b> Images are decoded on {@link #decodeThreads} threads (large ones subsampled
 * at decode time, see {@link ImageFiles#read(Path, int, long)}), one batch ahead of the tower,
 * which embeds each batch with {@link ImageTower#embedAll} on the calling thread. Rows are written
 * in manifest order; an image that cannot be read gets no row and a line in {@code rejects.jsonl}
 * with the {@link dev.lit4j.image.ImageReadException.Reason} (for example {@code CORRUPT}, or
 * {@code TOO_LARGE} for an image whose header declares more than {@link #maxPixels} pixels, which
 * is refused before decoding), and the build goes on.
 *
 * <p><b>Tower failures.</b> If {@code embedAll} throws a {@link RuntimeException} for a batch, its
 * images are embedded one at a time to find the ones the tower fails on (a degenerate image, an
 * embedding with NaN); each of those is rejected with reason {@code TOWER_FAILED} and the tower's
 * exception class and message, and the others are stored. If the tower fails on every image of a
 * batch and also on a probe image (one it embedded earlier in this build, else a synthetic one),
 * the tower itself is failing: the build throws before writing that batch, so the store resumes
 * once the tower is fixed. {@link Error}s are not caught. The stored rows of a batch that needed
 * isolating come from single-image calls, which some engines compute with slightly different
 * rounding than a batched call.
 *
 * <p><b>One writer.</b> A build holds an exclusive lock on the directory (an operating-system lock
 * on its {@code .lock} file plus a JVM-wide registry) from before it reads or writes any store file
 * until it returns, by success, exception or interrupt. A second build of the same directory, in
 * this or another process, fails at once with {@link StoreLockedException}. The lock dies with its
 * process, so the {@code .lock} file that stays behind never blocks a later build. Readers ({@link
 * EmbeddingStore#open}) take no lock; they only open complete stores.
 *
 * <p><b>Resumable and crash-safe.</b> Every batch is committed durably (data flushed, then the
 * progress record replaced atomically). If the process dies or {@link #build()} throws, calling
 * {@link #build()} again with the same manifest and tower continues after the last committed batch;
 * the finished files are byte-identical to those of an uninterrupted run, provided the tower is
 * deterministic for a given batch and the batch size is unchanged. The store is marked complete
 * only by the last write; a partial store is never taken for a complete one. Calling {@link
 * #build()} on a complete store checks that it matches and does nothing.
 *
 * <p>Not thread-safe: configure and build from one thread. Builders of different directories may
 * run concurrently; of builders of one directory, all but one fail (see above). The tower is used
 * from the calling thread only; the builder does not close it.
 */
public final class EmbeddingStoreBuilder {
  /** The default number of images per tower call. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  /** The default minimum shorter side of decoded images: twice a 224-pixel tower input. */
  public static final int DEFAULT_MIN_DECODED_SIDE = 448;

  private static final Set<String> OWN_FILES =
      Set.of(
          StoreFiles.EMBEDDINGS,
          StoreFiles.EMBEDDINGS + StoreFiles.PARTIAL,
          StoreFiles.INDEX,
          StoreFiles.INDEX + StoreFiles.PARTIAL,
          StoreFiles.REJECTS,
          StoreFiles.METADATA,
          StoreFiles.METADATA + ".tmp",
          StoreFiles.PROGRESS,
          StoreFiles.PROGRESS + ".tmp",
          StoreFiles.LOCK);

  private final Path manifest;
  private final Path outputDir;
  private final ImageTower tower;
  private int batchSize = DEFAULT_BATCH_SIZE;
  private int decodeThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  private int minDecodedSide = DEFAULT_MIN_DECODED_SIDE;
  private long maxPixels = ImageFiles.DEFAULT_MAX_PIXELS;
  private StoreDtype dtype = StoreDtype.FLOAT32;
  private ProgressListener progress = ProgressListener.silent();

  private EmbeddingStoreBuilder(Path manifest, Path outputDir, ImageTower tower) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
    this.tower = Objects.requireNonNull(tower, "tower");
  }

  /**
   * Starts configuring a build.
   *
   * @param manifest a {@code .csv} (header {@code path[,id]}) or {@code .jsonl} ({@code {"path": …,
   *     "id": …}}) file; relative paths resolve against its directory
   * @param outputDir the store directory; created if absent, and must otherwise be empty or hold
   *     this store (complete or partial)
   * @param tower the locked image tower; not closed by the builder
   * @return a builder; {@link #build()} runs the build
   */
  public static EmbeddingStoreBuilder builder(Path manifest, Path outputDir, ImageTower tower) {
    return new EmbeddingStoreBuilder(manifest, outputDir, tower);
  }

  /**
   * Sets the number of images per {@link ImageTower#embedAll} call (default 64).
   *
   * @param batchSize images per call
   * @return this builder
   * @throws IllegalArgumentException if {@code batchSize < 1}
   */
  public EmbeddingStoreBuilder batchSize(int batchSize) {
    this.batchSize = positive(batchSize, "batchSize");
    return this;
  }

  /**
   * Sets the number of decoding threads (default: the number of processors, at most 4).
   *
   * @param threads decoding threads
   * @return this builder
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public EmbeddingStoreBuilder decodeThreads(int threads) {
    this.decodeThreads = positive(threads, "decodeThreads");
    return this;
  }

  /**
   * Sets the shorter side that decode-time subsampling must keep (default 448, twice a 224-pixel
   * tower input); use {@link Integer#MAX_VALUE} to always decode at full size.
   *
   * @param side the shorter side to keep, in pixels
   * @return this builder
   * @throws IllegalArgumentException if {@code side < 1}
   */
  public EmbeddingStoreBuilder minDecodedSide(int side) {
    this.minDecodedSide = positive(side, "minDecodedSide");
    return this;
  }

  /**
   * Sets the most pixels ({@code width × height}, as the file's header declares them) an image may
   * have; larger ones are rejected as {@code TOO_LARGE} without being decoded (default {@link
   * ImageFiles#DEFAULT_MAX_PIXELS}, 178,956,970, Pillow's decompression-bomb limit). Decoding costs
   * time in proportion to these pixels even when subsampled; raise the limit for trusted data sets
   * of very large images, or use {@link Long#MAX_VALUE} for no limit.
   *
   * @param maxPixels the most pixels an image may declare
   * @return this builder
   * @throws IllegalArgumentException if {@code maxPixels < 1}
   */
  public EmbeddingStoreBuilder maxPixels(long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException(
          "maxPixels must be at least 1, got " + maxPixels + "; use Long.MAX_VALUE for no limit");
    }
    this.maxPixels = maxPixels;
    return this;
  }

  /**
   * Sets the stored element type (default {@link StoreDtype#FLOAT32}).
   *
   * @param dtype float32 or float16
   * @return this builder
   */
  public EmbeddingStoreBuilder dtype(StoreDtype dtype) {
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    return this;
  }

  /**
   * Sets who is told about progress, counted in manifest entries (default: nobody).
   *
   * @param listener who is told
   * @return this builder
   */
  public EmbeddingStoreBuilder progress(ProgressListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Builds the store, or resumes an interrupted build, or verifies a complete one.
   *
   * @return what was done
   * @throws IllegalArgumentException if the manifest is malformed (the line is named), the output
   *     directory holds other files, or an existing (partial) store was made with another tower,
   *     manifest or dtype (both are named)
   * @throws StoreLockedException if another build, in this or another process, is writing the same
   *     directory; no store file was read or written
   * @throws IllegalStateException if no image at all could be read and embedded (points at {@code
   *     rejects.jsonl}), the tower fails on every image of a batch and on a probe image (committed
   *     work is kept), or the tower returns the wrong number or dimension of embeddings
   * @throws InterruptedIOException if the thread was interrupted; the flag stays set and the work
   *     committed so far is kept for the next call
   * @throws IOException if reading the manifest or writing the store fails; committed work is kept
   */
  @SuppressWarnings("try") // the lock is held, not called, while the store is built
  public StoreBuildSummary build() throws IOException {
    long started = System.nanoTime();
    Manifest m = Manifest.read(manifest);
    Files.createDirectories(outputDir);
    if (Files.notExists(outputDir.resolve(StoreFiles.METADATA))) {
      checkOnlyOwnFiles(); // before the lock file, so a wrong directory is left as it was
    }
    try (StoreLock lock = StoreLock.acquire(outputDir)) {
      return buildLocked(m, started);
    }
  }

  private StoreBuildSummary buildLocked(Manifest m, long started) throws IOException {
    TowerIdentity identity = tower.identity();
    int dimension = tower.dimension();
    Path metadataFile = outputDir.resolve(StoreFiles.METADATA);
    Path progressFile = outputDir.resolve(StoreFiles.PROGRESS);
    if (Files.exists(metadataFile)) {
      StoreMetadata existing = StoreFiles.readMetadata(metadataFile);
      checkSame(
          "store", existing.tower(), existing.manifestSha256(), existing.dtype(), identity, m);
      if (existing.completed()) {
        Files.deleteIfExists(progressFile);
        return new StoreBuildSummary(
            existing.manifestEntries(), existing.size(), existing.rejected(), seconds(started), 0);
      }
    } else {
      checkOnlyOwnFiles();
    }
    StoreWriter writer;
    if (Files.exists(progressFile)) {
      BuildProgress committed = StoreFiles.readProgress(progressFile);
      checkSame(
          "partial store",
          committed.tower(),
          committed.manifestSha256(),
          committed.dtype(),
          identity,
          m);
      writer = StoreWriter.resume(outputDir, committed);
    } else {
      BuildProgress initial = new BuildProgress(m.sha256(), identity, dtype, dimension, 0, 0, 0, 0);
      writer = StoreWriter.create(outputDir, initial);
      writeMetadata(false, writer.progress(), m);
    }
    long entriesBefore;
    try (writer) {
      entriesBefore = writer.progress().entriesDone();
      embedRemaining(m.entries(), writer, new BatchEmbedder(tower, dimension));
      if (writer.progress().rowsWritten() == 0) {
        throw new IllegalStateException(
            "none of the "
                + m.entries().size()
                + " images in "
                + manifest
                + " could be read and embedded; the reasons are in "
                + outputDir.resolve(StoreFiles.REJECTS));
      }
      writer.finish();
    }
    BuildProgress done = writer.progress();
    writeMetadata(true, done, m);
    Files.deleteIfExists(progressFile);
    AtomicFiles.forceDirectory(outputDir);
    double seconds = seconds(started);
    long handled = done.entriesDone() - entriesBefore;
    return new StoreBuildSummary(
        done.entriesDone(),
        done.rowsWritten(),
        done.entriesDone() - done.rowsWritten(),
        seconds,
        seconds > 0 ? handled / seconds : 0);
  }

  private void embedRemaining(
      List<ManifestEntry> entries, StoreWriter writer, BatchEmbedder embedder) throws IOException {
    int total = entries.size();
    int from = (int) writer.progress().entriesDone();
    ProgressTracker tracker =
        ProgressTracker.start("embedding", "images", total, from, progress, InstantSource.system());
    try (ParallelDecoder decoder = new ParallelDecoder(decodeThreads, minDecodedSide, maxPixels)) {
      List<Future<ParallelDecoder.Decoded>> next = submit(decoder, entries, from);
      while (next != null) {
        List<Future<ParallelDecoder.Decoded>> current = next;
        int count = Math.min(batchSize, total - from);
        from += count;
        next = submit(decoder, entries, from); // decode ahead while the tower works
        BatchEmbedder.Outcome batch;
        try {
          batch = embedder.embed(ParallelDecoder.await(current));
        } catch (InterruptedIOException e) {
          throw interrupted(writer, total, e);
        }
        // File channels close themselves when interrupted; stop before writing instead.
        if (Thread.currentThread().isInterrupted()) {
          throw interrupted(writer, total, null);
        }
        try {
          writer.append(batch.rows(), batch.embedded(), batch.rejected(), count);
        } catch (ClosedByInterruptException e) {
          throw interrupted(writer, total, e);
        }
        tracker.advance(count);
      }
    } finally {
      tracker.finish();
    }
  }

  private static InterruptedIOException interrupted(
      StoreWriter writer, int total, Exception cause) {
    InterruptedIOException e =
        new InterruptedIOException(
            "interrupted after "
                + writer.progress().entriesDone()
                + " of "
                + total
                + " images were committed; call build() again to resume");
    e.initCause(cause);
    return e;
  }

  private List<Future<ParallelDecoder.Decoded>> submit(
      ParallelDecoder decoder, List<ManifestEntry> entries, int from) {
    if (from >= entries.size()) {
      return null;
    }
    return decoder.submit(entries.subList(from, Math.min(entries.size(), from + batchSize)));
  }

  private void writeMetadata(boolean completed, BuildProgress p, Manifest m) throws IOException {
    StoreMetadata metadata =
        new StoreMetadata(
            completed,
            completed ? p.rowsWritten() : 0,
            p.dimension(),
            p.dtype(),
            p.tower(),
            p.manifestSha256(),
            m.entries().size(),
            completed ? p.entriesDone() - p.rowsWritten() : 0);
    StoreFiles.writeAtomically(outputDir.resolve(StoreFiles.METADATA), StoreFiles.toJson(metadata));
  }

  private void checkSame(
      String what,
      TowerIdentity builtWith,
      String manifestSha256,
      StoreDtype builtDtype,
      TowerIdentity identity,
      Manifest m) {
    String fix = "; use the original settings, or delete " + outputDir + " to start over";
    if (!builtWith.equals(identity)) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " in "
              + outputDir
              + " was built with tower "
              + StoreFiles.describe(builtWith)
              + ", but this build uses tower "
              + StoreFiles.describe(identity)
              + fix);
    }
    if (!manifestSha256.equals(m.sha256())) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " in "
              + outputDir
              + " was built from a manifest with SHA-256 "
              + manifestSha256
              + ", but "
              + manifest
              + " has SHA-256 "
              + m.sha256()
              + fix);
    }
    if (builtDtype != dtype) {
      throw new IllegalArgumentException(
          "the " + what + " in " + outputDir + " stores " + builtDtype + ", not " + dtype + fix);
    }
  }

  private void checkOnlyOwnFiles() throws IOException {
    try (Stream<Path> files = Files.list(outputDir)) {
      List<String> foreign =
          files
              .map(p -> p.getFileName().toString())
              .filter(name -> !OWN_FILES.contains(name))
              .sorted()
              .limit(5)
              .toList();
      if (!foreign.isEmpty()) {
        throw new IllegalArgumentException(
            "output directory "
                + outputDir
                + " is not empty and holds no embedding store (found "
                + foreign
                + "); choose an empty or new directory");
      }
    }
  }

  private static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
