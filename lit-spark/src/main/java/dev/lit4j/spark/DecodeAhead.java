package dev.lit4j.spark;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A partition iterator that decodes batch {@code n + 1} on a helper thread while the task thread
 * embeds batch {@code n}, as {@link dev.lit4j.store.EmbeddingStoreBuilder} decodes one batch ahead
 * of its tower: decoding is single-threaded Java, the tower runs libtorch's own threads, and
 * overlapping them keeps both busy. Rows are taken from Spark's input on the task thread only (its
 * iterators are not thread-safe); the helper only decodes.
 *
 * <p>The helper thread (a daemon) ends when the partition is exhausted, and also when the task
 * completes, fails or is killed (a task completion listener). An exception from decoding is
 * rethrown on the task thread. Not thread-safe (one task).
 */
final class DecodeAhead<D, O> implements Iterator<O> {
  private final Iterator<Row> input;
  private final int batchSize;
  private final Function<List<Row>, D> decode;
  private final Function<D, List<O>> embed;
  private final ArrayDeque<O> ready = new ArrayDeque<>();
  private final ExecutorService helper;
  private Future<D> pending;
  private boolean started;

  DecodeAhead(
      Iterator<Row> input,
      int batchSize,
      Function<List<Row>, D> decode,
      Function<D, List<O>> embed) {
    this.input = input;
    this.batchSize = batchSize;
    this.decode = decode;
    this.embed = embed;
    this.helper =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lit4j-decode-ahead");
              t.setDaemon(true);
              return t;
            });
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> helper.shutdownNow());
    }
  }

  @Override
  public boolean hasNext() {
    if (!started) {
      started = true;
      pending = submitNext();
    }
    while (ready.isEmpty() && pending != null) {
      D current = await(pending);
      pending = submitNext(); // decode ahead while the tower works on the current batch
      ready.addAll(embed.apply(current));
    }
    if (ready.isEmpty()) {
      helper.shutdown();
      return false;
    }
    return true;
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private Future<D> submitNext() {
    if (!input.hasNext()) {
      return null;
    }
    List<Row> batch = new ArrayList<>(batchSize);
    while (batch.size() < batchSize && input.hasNext()) {
      batch.add(input.next());
    }
    return helper.submit(() -> decode.apply(batch));
  }

  private D await(Future<D> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      helper.shutdownNow();
      InterruptedIOException cause = new InterruptedIOException("interrupted while decoding");
      cause.initCause(e);
      throw new UncheckedIOException(cause);
    } catch (ExecutionException e) {
      helper.shutdownNow();
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("decoding failed", e.getCause());
    }
  }
}
