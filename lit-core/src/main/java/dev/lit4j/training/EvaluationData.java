package dev.lit4j.training;

import java.util.Optional;

/**
 * Held-out data a trainer evaluates on every {@link TrainerConfig#evalEvery()} steps and at the
 * end: zero-shot classification accuracy, image↔text retrieval recall, or both.
 *
 * @param zeroShot a labelled image set classified zero-shot with the text tower being trained
 * @param retrieval held-out image–caption pairs for Recall@K in both directions
 */
public record EvaluationData(Optional<ZeroShotSet> zeroShot, Optional<PairedEmbeddings> retrieval) {
  /** No evaluation. */
  public static final EvaluationData NONE = new EvaluationData(Optional.empty(), Optional.empty());

  /**
   * @throws NullPointerException if an argument is null (use {@link Optional#empty()})
   */
  public EvaluationData {
    java.util.Objects.requireNonNull(zeroShot, "zeroShot");
    java.util.Objects.requireNonNull(retrieval, "retrieval");
  }

  /** Returns evaluation on a zero-shot set only. */
  public static EvaluationData zeroShot(ZeroShotSet set) {
    return new EvaluationData(Optional.of(set), Optional.empty());
  }

  /** Returns evaluation on retrieval pairs only. */
  public static EvaluationData retrieval(PairedEmbeddings pairs) {
    return new EvaluationData(Optional.empty(), Optional.of(pairs));
  }

  /** Returns whether there is anything to evaluate. */
  public boolean isEmpty() {
    return zeroShot.isEmpty() && retrieval.isEmpty();
  }
}
