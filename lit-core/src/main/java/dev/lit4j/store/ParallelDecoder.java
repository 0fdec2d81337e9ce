package dev.lit4j.store;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import java.awt.image.BufferedImage;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes image files on a fixed pool of daemon threads. {@link #close()} always shuts the pool
 * down and waits for it. Not thread-safe: one builder thread submits and awaits.
 */
final class ParallelDecoder implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** A decoded image or the reason it could not be read. */
  record Decoded(ManifestEntry entry, BufferedImage image, Reject reject) {}

  private final ExecutorService pool;
  private final int minShorterSide;
  private final long maxPixels;

  ParallelDecoder(int threads, int minShorterSide, long maxPixels) {
    int poolId = POOLS.incrementAndGet();
    AtomicInteger threadId = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "lit4j-decode-" + poolId + "-" + threadId.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.minShorterSide = minShorterSide;
    this.maxPixels = maxPixels;
  }

  /** Starts decoding {@code entries}; the futures are in the same order. */
  List<Future<Decoded>> submit(List<ManifestEntry> entries) {
    List<Future<Decoded>> futures = new ArrayList<>(entries.size());
    for (ManifestEntry entry : entries) {
      futures.add(pool.submit(() -> decode(entry)));
    }
    return futures;
  }

  private Decoded decode(ManifestEntry entry) {
    try {
      return new Decoded(entry, ImageFiles.read(entry.file(), minShorterSide, maxPixels), null);
    } catch (ImageReadException e) {
      return new Decoded(entry, null, new Reject(entry, e.reason().name(), e.detail()));
    }
  }

  /**
   * Waits for every future, in order.
   *
   * @throws InterruptedIOException if the thread is interrupted; the interrupt flag stays set
   */
  static List<Decoded> await(List<Future<Decoded>> futures) throws InterruptedIOException {
    List<Decoded> out = new ArrayList<>(futures.size());
    for (Future<Decoded> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(g -> g.cancel(true));
        InterruptedIOException ie = new InterruptedIOException("interrupted while decoding images");
        ie.initCause(e);
        throw ie;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("image decoding failed unexpectedly", e.getCause());
      }
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        // Keep waiting so no decode thread outlives the build, then restore the flag.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
