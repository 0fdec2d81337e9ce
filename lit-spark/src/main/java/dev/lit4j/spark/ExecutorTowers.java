package dev.lit4j.spark;

import dev.lit4j.model.ImageTower;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image towers of this JVM, one per {@link TowerSource}: loaded on first use and closed when
 * the JVM shuts down.
 *
 * <p><b>Lifecycle.</b> A Spark executor is one JVM that runs many tasks, several at a time (one per
 * core it was given). The first task that needs a source loads its tower; the others, in this and
 * later stages and jobs, reuse it, so a tower is loaded once per executor, never per partition or
 * row. Tasks share it concurrently, which lit4j's towers allow ({@code embedAll} is thread-safe). A
 * JVM shutdown hook closes every tower (releasing its native memory) when the executor exits, which
 * Spark does at the end of the application or when dynamic allocation removes the executor; an
 * executor killed outright ({@code SIGKILL}, out of memory) releases its memory with its process.
 * In local mode the driver is the executor, so driver and tasks share the tower.
 *
 * <p>Native code is never left running while the JVM exits: tasks embed inside {@link #use}, under
 * a shared lock, and the shutdown hook takes the exclusive lock before it closes the towers,
 * waiting up to {@value #CLOSE_WAIT_SECONDS} s for embedding calls in flight (Spark interrupts its
 * task threads first). After that, {@link #use} throws {@link IllegalStateException}.
 *
 * <p>A source that fails to load is not cached: the next task tries again (and fails the same way
 * if the fault is permanent, which fails the job with the loader's message).
 *
 * <p>Thread-safe.
 */
final class ExecutorTowers {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorTowers.class);
  private static final Map<TowerSource, TowerSource.Loaded> TOWERS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final ReentrantReadWriteLock IN_USE = new ReentrantReadWriteLock();
  private static final long CLOSE_WAIT_SECONDS = 30;
  private static volatile boolean shutDown;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorTowers::closeAll, "lit4j-executor-towers-close"));
  }

  private ExecutorTowers() {}

  /**
   * Returns this JVM's tower for {@code source}, loading it on first use; concurrent first uses
   * wait for one load.
   *
   * @throws UncheckedIOException if the tower's files cannot be read
   */
  static ImageTower get(TowerSource source) {
    return TOWERS.computeIfAbsent(source, ExecutorTowers::load).tower();
  }

  /**
   * Runs {@code work} with this JVM's tower for {@code source}, holding off the shutdown hook until
   * it returns.
   *
   * @throws IllegalStateException if the JVM is shutting down
   * @throws UncheckedIOException if the tower's files cannot be read
   */
  static <T> T use(TowerSource source, Function<ImageTower, T> work) {
    IN_USE.readLock().lock();
    try {
      if (shutDown) {
        throw new IllegalStateException("the JVM is shutting down; its image towers are closed");
      }
      return work.apply(get(source));
    } finally {
      IN_USE.readLock().unlock();
    }
  }

  /** Returns how many towers this JVM has loaded (for tests: one per source). */
  static int loads() {
    return LOADS.get();
  }

  private static TowerSource.Loaded load(TowerSource source) {
    try {
      TowerSource.Loaded loaded = source.load();
      LOADS.incrementAndGet();
      return loaded;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load image tower " + source + ": " + e.getMessage(), e);
    }
  }

  private static void closeAll() {
    boolean locked = false;
    try {
      locked = IN_USE.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!locked) {
      // Closing under a running native call could crash the JVM; the process ends anyway.
      LOG.warn("image towers still in use after {} s; not closed", CLOSE_WAIT_SECONDS);
      return;
    }
    shutDown = true;
    for (Map.Entry<TowerSource, TowerSource.Loaded> e : TOWERS.entrySet()) {
      try {
        e.getValue().owner().close();
      } catch (Exception failure) {
        LOG.warn("closing image tower {} failed", e.getKey(), failure);
      }
    }
    TOWERS.clear();
    IN_USE.writeLock().unlock();
  }
}
