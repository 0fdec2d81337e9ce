package dev.lit4j.store;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.ImageTower;
import java.awt.image.BufferedImage;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeds one batch of decoded images with the locked tower, so that an image the tower fails on
 * costs that image, not the batch.
 *
 * <p>The batch goes to {@link ImageTower#embedAll} in one call. If that call throws a {@link
 * RuntimeException}, each image is retried alone (an {@code embedAll} of one image, the path the
 * batch took) to find the culprits; each image that fails alone is rejected as {@value
 * #TOWER_FAILED} with the tower's exception (class and message) as the detail, and the others keep
 * their embeddings from the single-image calls. If every image of the batch fails alone, either the
 * images are all bad or the tower itself is failing (wrong model, closed, out of native memory); a
 * probe tells the two apart: the tower embeds an image it embedded successfully earlier in this
 * build (or, before any success, a synthetic gradient image). If the probe fails too, the build
 * fails with an {@link IllegalStateException} before anything of the batch is written, so the store
 * stays resumable with a working tower.
 *
 * <p>{@link Error}s (such as {@link OutOfMemoryError}) are never caught. A tower that returns the
 * wrong number or dimension of embeddings has a bug, not a bad image: that fails the build too.
 *
 * <p>Not thread-safe: the builder thread owns it.
 */
final class BatchEmbedder {
  /** The {@code reason} in {@code rejects.jsonl} of an image the tower failed on. */
  static final String TOWER_FAILED = "TOWER_FAILED";

  /** Tower messages (native engines add stack traces) are cut to this length in rejects. */
  static final int MAX_DETAIL_CHARS = 1000;

  private static final int PROBE_SIDE = 64;

  /**
   * What a batch became.
   *
   * @param rows the unit-norm {@code [embedded.size(), D]} rows, or {@code null} if none
   * @param embedded the entries that got a row, in manifest order
   * @param rejected the entries that did not (unreadable or failed by the tower), in manifest order
   */
  record Outcome(FloatMatrix rows, List<ManifestEntry> embedded, List<Reject> rejected) {}

  private final ImageTower tower;
  private final int dimension;
  private BufferedImage lastEmbedded;

  BatchEmbedder(ImageTower tower, int dimension) {
    this.tower = tower;
    this.dimension = dimension;
  }

  /**
   * Embeds the readable images of a batch.
   *
   * @param batch decoded images and decode rejects, in manifest order
   * @throws InterruptedIOException if the thread is interrupted when the tower fails (the tower's
   *     failure is the cause); the flag stays set
   * @throws IllegalStateException if the tower fails on every image of the batch and on the probe,
   *     or returns the wrong number or dimension of embeddings
   */
  Outcome embed(List<ParallelDecoder.Decoded> batch) throws InterruptedIOException {
    List<BufferedImage> images = new ArrayList<>(batch.size());
    List<ManifestEntry> entries = new ArrayList<>(batch.size());
    List<Reject> unreadable = new ArrayList<>();
    for (ParallelDecoder.Decoded d : batch) {
      if (d.reject() != null) {
        unreadable.add(d.reject());
      } else {
        images.add(d.image());
        entries.add(d.entry());
      }
    }
    if (images.isEmpty()) {
      return new Outcome(null, List.of(), unreadable);
    }
    EmbeddingMatrix rows;
    try {
      rows = tower.embedAll(images);
    } catch (RuntimeException batchFailure) {
      return isolate(batch, images.size(), batchFailure);
    }
    checkShape(rows, images.size());
    lastEmbedded = images.get(images.size() - 1);
    return new Outcome(rows.matrix(), entries, unreadable);
  }

  private Outcome isolate(
      List<ParallelDecoder.Decoded> batch, int readable, RuntimeException batchFailure)
      throws InterruptedIOException {
    checkNotInterrupted(batchFailure);
    float[] values = new float[readable * dimension];
    List<ManifestEntry> embedded = new ArrayList<>(readable);
    List<Reject> rejected = new ArrayList<>();
    RuntimeException firstFailure = null;
    for (ParallelDecoder.Decoded d : batch) {
      if (d.reject() != null) {
        rejected.add(d.reject());
        continue;
      }
      EmbeddingMatrix one = null;
      RuntimeException failure = readable == 1 ? batchFailure : null;
      if (failure == null) {
        try {
          one = tower.embedAll(List.of(d.image()));
        } catch (RuntimeException e) {
          checkNotInterrupted(e);
          failure = e;
        }
      }
      if (failure != null) {
        firstFailure = firstFailure == null ? failure : firstFailure;
        rejected.add(new Reject(d.entry(), TOWER_FAILED, describe(failure)));
        continue;
      }
      checkShape(one, 1);
      one.matrix().copyTo(values, embedded.size() * dimension);
      embedded.add(d.entry());
      lastEmbedded = d.image();
    }
    if (embedded.isEmpty()) {
      checkTowerWorks(batch, readable, firstFailure);
      return new Outcome(null, List.of(), rejected);
    }
    float[] kept = Arrays.copyOf(values, embedded.size() * dimension);
    return new Outcome(FloatMatrix.wrap(embedded.size(), dimension, kept), embedded, rejected);
  }

  /** Every image failed alone: passes if the tower embeds a probe image, else fails the build. */
  private void checkTowerWorks(
      List<ParallelDecoder.Decoded> batch, int readable, RuntimeException firstFailure)
      throws InterruptedIOException {
    boolean earlier = lastEmbedded != null;
    EmbeddingMatrix probed;
    try {
      probed = tower.embedAll(List.of(earlier ? lastEmbedded : gradient()));
    } catch (RuntimeException probeFailure) {
      checkNotInterrupted(probeFailure);
      IllegalStateException e =
          new IllegalStateException(
              "tower "
                  + StoreFiles.describe(tower.identity())
                  + " failed on each of the "
                  + readable
                  + " readable images of the batch at manifest lines "
                  + batch.get(0).entry().line()
                  + "-"
                  + batch.get(batch.size() - 1).entry().line()
                  + " and on "
                  + (earlier
                      ? "an image it had embedded earlier in this build"
                      : "a synthetic test image")
                  + ", so the tower itself is failing, not the images: "
                  + describe(probeFailure)
                  + ". Nothing of this batch was written and earlier batches are kept: fix the"
                  + " tower (model, memory, not closed) and call build() again to resume",
              probeFailure);
      e.addSuppressed(firstFailure);
      throw e;
    }
    checkShape(probed, 1);
  }

  private void checkShape(EmbeddingMatrix rows, int images) {
    if (rows.size() != images || rows.dimension() != dimension) {
      throw new IllegalStateException(
          "tower "
              + tower.identity().name()
              + " returned "
              + rows.size()
              + " x "
              + rows.dimension()
              + " embeddings for "
              + images
              + " images; expected "
              + images
              + " x "
              + dimension);
    }
  }

  private static void checkNotInterrupted(RuntimeException towerFailure)
      throws InterruptedIOException {
    // An interrupted tower call fails for every image; that is a stop, not a reject.
    if (Thread.currentThread().isInterrupted()) {
      InterruptedIOException e = new InterruptedIOException("interrupted while embedding");
      e.initCause(towerFailure);
      throw e;
    }
  }

  /** The exception's class and message, cut to {@link #MAX_DETAIL_CHARS}. */
  static String describe(RuntimeException e) {
    String text = e.toString();
    if (text.length() <= MAX_DETAIL_CHARS) {
      return text;
    }
    return text.substring(0, MAX_DETAIL_CHARS)
        + "… ("
        + (text.length() - MAX_DETAIL_CHARS)
        + " more characters)";
  }

  /** A smooth colour gradient: a valid image for any tower, unlike one flat colour. */
  private static BufferedImage gradient() {
    BufferedImage image = new BufferedImage(PROBE_SIDE, PROBE_SIDE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < PROBE_SIDE; y++) {
      for (int x = 0; x < PROBE_SIDE; x++) {
        int r = 255 * x / (PROBE_SIDE - 1);
        int g = 255 * y / (PROBE_SIDE - 1);
        image.setRGB(x, y, (r << 16) | (g << 8) | 96);
      }
    }
    return image;
  }
}
