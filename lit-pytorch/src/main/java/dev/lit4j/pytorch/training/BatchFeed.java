package dev.lit4j.pytorch.training;

import dev.lit4j.training.EpochPlan;
import dev.lit4j.training.TrainingPairs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The batches of a training run in step order, each read from the {@link TrainingPairs} by index
 * (the epoch's {@link EpochPlan}, then the rows and captions of its batch), with the next batch
 * read on a background thread while the caller runs the current step.
 *
 * <p>Holds at most two batches and the current epoch's plan, never the data set. The reader is one
 * daemon thread, which alone touches the plan; {@link #close()} cancels a read not yet started,
 * waits for one in progress (without interrupting it: an interrupt would close the pairs' file
 * channels) and is idempotent. A failed read is rethrown by {@link #next()} for the step that
 * needed it, with the step named and the failure as cause. Used by one thread.
 */
final class BatchFeed implements AutoCloseable {
  /**
   * One step's batch.
   *
   * @param epoch the epoch, 0-based
   * @param images the images' embeddings, row-major {@code [B, D]}
   * @param captions one caption per image, in the same order
   */
  record Batch(int epoch, float[] images, List<String> captions) {}

  private final TrainingPairs data;
  private final long seed;
  private final int batchSize;
  private final int perEpoch;
  private final int total;
  private final ExecutorService reader;
  private EpochPlan plan; // the reader thread's alone
  private int planEpoch = -1; // the reader thread's alone
  private int nextStep;
  private Future<Batch> pending;
  private boolean closed;

  /**
   * Starts reading the batch of step {@code start}.
   *
   * @param data the pairs; read from the background thread
   * @param perEpoch full batches per epoch
   * @param start the first step, 0-based
   * @param total the step after the last
   */
  BatchFeed(TrainingPairs data, long seed, int batchSize, int perEpoch, int start, int total) {
    this.data = data;
    this.seed = seed;
    this.batchSize = batchSize;
    this.perEpoch = perEpoch;
    this.total = total;
    this.nextStep = start;
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lit4j-batch-reader");
              t.setDaemon(true);
              return t;
            });
    if (start < total) {
      pending = reader.submit(() -> read(start));
    }
  }

  /**
   * Returns the batch of the next step and starts reading the one after it.
   *
   * @throws IOException if reading the batch failed on I/O (the step is named, the cause kept)
   * @throws IllegalArgumentException if the data refused the read (the step is named, the cause
   *     kept)
   * @throws IllegalStateException if the read failed otherwise, the feed is closed or exhausted, or
   *     the thread was interrupted while waiting (its interrupt flag is restored)
   */
  Batch next() throws IOException {
    if (closed || pending == null) {
      throw new IllegalStateException("the batch feed is closed or has no step " + nextStep);
    }
    Future<Batch> current = pending;
    int step = nextStep++;
    int following = nextStep;
    pending = following < total ? reader.submit(() -> read(following)) : null;
    try {
      return current.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for the batch of step " + (step + 1), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = "reading the batch of step " + (step + 1) + " failed: " + cause.getMessage();
      if (cause instanceof UncheckedIOException || cause instanceof IOException) {
        throw new IOException(message, cause);
      }
      if (cause instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(message, cause);
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(message, cause);
    }
  }

  private Batch read(int step) {
    int epoch = step / perEpoch;
    if (epoch != planEpoch) {
      plan = EpochPlan.of(seed, epoch, data);
      planEpoch = epoch;
    }
    EpochPlan.Batch batch = plan.batch(step % perEpoch, batchSize);
    float[] images = new float[batchSize * data.dimension()];
    data.imageRows(batch.imageIndices(), images);
    return new Batch(epoch, images, batch.captions());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pending != null) {
      pending.cancel(false);
    }
    reader.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (reader.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
