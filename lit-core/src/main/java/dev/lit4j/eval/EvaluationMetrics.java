package dev.lit4j.eval;

import dev.lit4j.retrieval.RetrievalMetrics;
import dev.lit4j.training.PairedEmbeddings;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of one evaluation during training; one line of the metrics log.
 *
 * @param step the number of completed optimiser steps when it ran
 * @param zeroShotSets the zero-shot result of every set, in the order of {@link
 *     EvaluationData#zeroShotSets()}; names are unique
 * @param retrievalSet Recall@K in both directions, when retrieval pairs were given
 */
public record EvaluationMetrics(
    int step, List<ZeroShotSetMetrics> zeroShotSets, Optional<RetrievalSetMetrics> retrievalSet) {
  /**
   * @param step the number of completed optimiser steps when it ran
   * @param zeroShotSets the zero-shot result of every set, in the order of {@link
   *     EvaluationData#zeroShotSets()}; names are unique
   * @param retrievalSet Recall@K in both directions, when retrieval pairs were given
   * @throws IllegalArgumentException if two zero-shot results share a name (it is named)
   * @throws NullPointerException if an argument is null
   */
  public EvaluationMetrics {
    zeroShotSets = List.copyOf(Objects.requireNonNull(zeroShotSets, "zeroShotSets"));
    Objects.requireNonNull(retrievalSet, "retrievalSet");
    Set<String> names = new HashSet<>();
    for (ZeroShotSetMetrics z : zeroShotSets) {
      if (!names.add(z.name())) {
        throw new IllegalArgumentException(
            "two zero-shot results are named '" + z.name() + "'; names must be unique");
      }
    }
  }

  /**
   * {@return the accuracy on the first zero-shot set, when there is one: the one set of evaluations
   * built by {@link EvaluationData#zeroShot(ZeroShotSet)} or {@link EvaluationData#of(ZeroShotSet,
   * PairedEmbeddings)}}
   */
  public Optional<ClassificationMetrics> zeroShot() {
    return zeroShotSets.stream().findFirst().map(ZeroShotSetMetrics::accuracy);
  }

  /**
   * {@return the result on the zero-shot set named {@code name}}
   *
   * @param name the set's name
   * @throws IllegalArgumentException if no set has that name (the valid names are listed)
   */
  public ZeroShotSetMetrics zeroShot(String name) {
    Objects.requireNonNull(name, "name");
    return zeroShotSets.stream()
        .filter(z -> z.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no zero-shot set named '"
                        + name
                        + "'; evaluated: "
                        + zeroShotSets.stream().map(ZeroShotSetMetrics::name).toList()));
  }

  /** {@return Recall@K on the retrieval set, when there is one} */
  public Optional<RetrievalMetrics> retrieval() {
    return retrievalSet.map(RetrievalSetMetrics::recall);
  }
}
