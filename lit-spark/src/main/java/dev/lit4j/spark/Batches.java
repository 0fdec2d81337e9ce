package dev.lit4j.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A lazy iterator over a partition that takes its input {@code size} rows at a time and yields what
 * {@link #process} makes of each batch, so a task holds one batch, never the partition. Not
 * thread-safe (one task).
 */
abstract class Batches<I, O> implements Iterator<O> {
  private final Iterator<I> input;
  private final int size;
  private final ArrayDeque<O> ready = new ArrayDeque<>();

  Batches(Iterator<I> input, int size) {
    this.input = input;
    this.size = size;
  }

  /** Turns one batch of input rows into output rows. */
  protected abstract List<O> process(List<I> batch);

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && input.hasNext()) {
      List<I> batch = new ArrayList<>(size);
      while (batch.size() < size && input.hasNext()) {
        batch.add(input.next());
      }
      ready.addAll(process(batch));
    }
    return !ready.isEmpty();
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }
}
