package dev.lit4j.pytorch.training;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locked text encoder's pooled output per caption, kept between projection-only trainings
 * ({@link dev.lit4j.training.TextTraining#PROJECTION}) in one JVM, e.g. the seeds of one recipe or
 * the steps of an ablation: the encoder runs once per distinct caption instead of once per run.
 *
 * <p>A cache is bound to the encoder of the first tower it serves (the SHA-256 of its weights
 * without the projection, {@link dev.lit4j.pytorch.text.TransformerTextTower#encoderChecksum()})
 * and refuses any other encoder. Holds {@code W} floats per caption on the heap (1.5 KB for
 * MiniLM). Thread-safe.
 *
 * <pre>{@code
 * CaptionFeatureCache cache = CaptionFeatureCache.create();
 * for (long seed : List.of(0L, 1L, 2L)) {
 *   try (TransformerTextTower text = AllMiniLmL6V2.loadTower(576);
 *       PyTorchContrastiveTrainer trainer =
 *           PyTorchContrastiveTrainer.builder(text, imageTower, config.toBuilder().seed(seed).build())
 *               .captionFeatureCache(cache)
 *               .build()) {
 *     trainer.train(pairs);
 *   }
 * }
 * }</pre>
 */
public final class CaptionFeatureCache {
  private final Map<String, float[]> features = new ConcurrentHashMap<>();
  private String encoderChecksum; // guarded by this

  private CaptionFeatureCache() {}

  /** {@return an empty cache, bound to the first encoder that uses it} */
  public static CaptionFeatureCache create() {
    return new CaptionFeatureCache();
  }

  /** {@return the number of captions held} */
  public int size() {
    return features.size();
  }

  /**
   * Binds the cache to an encoder, or checks that it is the bound one.
   *
   * @throws IllegalArgumentException if the cache holds another encoder's features (both checksums
   *     are named)
   */
  synchronized void bind(String checksum) {
    Objects.requireNonNull(checksum, "checksum");
    if (encoderChecksum == null) {
      encoderChecksum = checksum;
    } else if (!encoderChecksum.equals(checksum)) {
      throw new IllegalArgumentException(
          "this caption-feature cache holds the pooled outputs of the encoder with SHA-256 "
              + encoderChecksum
              + ", but the text tower's encoder has "
              + checksum
              + "; use a new CaptionFeatureCache for another encoder");
    }
  }

  /** The features by caption (live map; values are not copied and must not be changed). */
  Map<String, float[]> features() {
    return features;
  }
}
