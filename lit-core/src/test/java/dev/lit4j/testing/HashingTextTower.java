package dev.lit4j.testing;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TextTower;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.spi.SavableTower;
import dev.lit4j.spi.TextTowerFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic fake text tower: the embedding of a text is the normalised sum of one seeded
 * pseudo-random Gaussian vector per word (lower-cased, split on non-alphanumerics), so texts that
 * share words are similar and the same text always embeds identically. A text without words embeds
 * to the vector of the empty word.
 *
 * <p>Thread-safe. Counts {@link #close()} and {@link #embedAll} calls so tests can assert on them.
 */
public final class HashingTextTower implements TextTower, SavableTower {
  /** The format id under which {@link Format} loads saved towers. */
  public static final String FORMAT_ID = "lit4j-test-hashing-text";

  private static final String FILE = "hashing-text-tower.properties";

  private final int dimension;
  private final long seed;
  private final AtomicInteger closeCalls = new AtomicInteger();
  private final AtomicInteger embedAllCalls = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param dimension the embedding dimension, at least 1
   * @param seed the seed of the per-word vectors
   */
  public HashingTextTower(int dimension, long seed) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    this.dimension = dimension;
    this.seed = seed;
  }

  /** Returns the unnormalised vector of one word, a function of the seed and the word only. */
  public float[] wordVector(String word) {
    Random random = new Random(seed * 31 + word.hashCode());
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** Returns the words of {@code text} as this tower tokenises them. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{Alnum}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public TowerIdentity identity() {
    return new TowerIdentity(
        "hashing-text", "seed-" + seed + "-dim-" + dimension, "lower-case, split on non-alnum");
  }

  @Override
  public Embedding embed(String text) {
    Objects.requireNonNull(text, "text");
    checkOpen();
    List<String> words = words(text);
    if (words.isEmpty()) {
      words = List.of("");
    }
    float[] sum = new float[dimension];
    for (String w : words) {
      float[] v = wordVector(w);
      for (int i = 0; i < dimension; i++) {
        sum[i] += v[i];
      }
    }
    return Embedding.of(sum);
  }

  @Override
  public EmbeddingMatrix embedAll(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    checkOpen();
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    embedAllCalls.incrementAndGet();
    List<Embedding> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new IllegalArgumentException("texts[" + i + "] is null");
      }
      out.add(embed(texts.get(i)));
    }
    return EmbeddingMatrix.of(out);
  }

  /** Returns how many times {@link #close()} was called. */
  public int closeCalls() {
    return closeCalls.get();
  }

  /** Returns how many times {@link #embedAll} was called. */
  public int embedAllCalls() {
    return embedAllCalls.get();
  }

  /** Returns whether the tower is closed. */
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("HashingTextTower is closed");
    }
  }

  @Override
  public void close() {
    closeCalls.incrementAndGet();
    closed = true;
  }

  @Override
  public String formatId() {
    return FORMAT_ID;
  }

  @Override
  public void saveTo(Path towerDirectory) throws IOException {
    FakeFiles.writeProperties(
        towerDirectory.resolve(FILE), List.of("dimension=" + dimension, "seed=" + seed));
  }

  /** Loads {@link HashingTextTower}s; registered as a {@link TextTowerFormat} service in tests. */
  public static final class Format implements TextTowerFormat {
    /** Creates the format; called by {@link java.util.ServiceLoader}. */
    public Format() {}

    @Override
    public String formatId() {
      return FORMAT_ID;
    }

    @Override
    public TextTower loadTextTower(Path towerDirectory) throws IOException {
      var p = FakeFiles.readProperties(towerDirectory.resolve(FILE));
      return new HashingTextTower(
          Integer.parseInt(p.getProperty("dimension")), Long.parseLong(p.getProperty("seed")));
    }
  }
}
