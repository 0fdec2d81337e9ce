package dev.lit4j.examples.data;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.training.PairedEmbeddings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Training pairs with what is known about each row: row {@code i} of {@link #pairs()} is described
 * by {@code rows().get(i)}. Built by {@link ShippedData#trainingCorpus}; a caller splits it, e.g.
 * into training and validation by {@linkplain TrainingRow#group() group}:
 *
 * <pre>{@code
 * TrainingCorpus all = data.trainingCorpus(tower.identity(), ShippedData.Views.INCLUDED);
 * Set<String> held = ...; // e.g. every 10th group, by a seeded hash
 * TrainingCorpus train = all.select(r -> !held.contains(r.group()));
 * TrainingCorpus validation = all.select(r -> held.contains(r.group()) && !r.isView());
 * ZeroShotSet check = validation.select(r -> r.source() != TrainingSource.OPENCLIPART).zeroShotSet();
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 *
 * @param pairs the image embeddings and their captions
 * @param rows source, id, group and category of each row
 */
public record TrainingCorpus(PairedEmbeddings pairs, List<TrainingRow> rows) {

  /**
   * @throws IllegalArgumentException if the row counts differ
   */
  public TrainingCorpus {
    Objects.requireNonNull(pairs, "pairs");
    rows = List.copyOf(rows);
    if (rows.size() != pairs.size()) {
      throw new IllegalArgumentException(
          "row counts differ: " + pairs.size() + " pairs, " + rows.size() + " row descriptions");
    }
  }

  /** Returns the number of rows. */
  public int size() {
    return rows.size();
  }

  /** Returns the distinct groups, in row order. */
  public Set<String> groups() {
    Set<String> out = new LinkedHashSet<>();
    rows.forEach(r -> out.add(r.group()));
    return out;
  }

  /** Returns the rows that {@code keep} accepts, in order, with the pairs' image identity. */
  public TrainingCorpus select(Predicate<TrainingRow> keep) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (keep.test(rows.get(i))) {
        kept.add(i);
      }
    }
    List<List<String>> captions = new ArrayList<>(kept.size());
    List<TrainingRow> keptRows = new ArrayList<>(kept.size());
    for (int i : kept) {
      captions.add(pairs.captions().get(i));
      keptRows.add(rows.get(i));
    }
    return new TrainingCorpus(
        new PairedEmbeddings(selectRows(pairs.images(), kept), captions, pairs.imageIdentity()),
        keptRows);
  }

  /**
   * Returns these images as a zero-shot set over their categories (classes sorted by name).
   *
   * @throws IllegalArgumentException if there are fewer than two categories
   */
  public ZeroShotSet zeroShotSet() {
    Map<String, Integer> index = new TreeMap<>();
    rows.forEach(r -> index.put(r.category(), 0));
    int next = 0;
    for (Map.Entry<String, Integer> e : index.entrySet()) {
      e.setValue(next++);
    }
    int[] truth = new int[rows.size()];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = index.get(rows.get(i).category());
    }
    return new ZeroShotSet(pairs.images(), List.copyOf(index.keySet()), truth);
  }

  static EmbeddingMatrix selectRows(EmbeddingMatrix all, List<Integer> rows) {
    int d = all.dimension();
    float[] out = new float[rows.size() * d];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(all.matrix().row(rows.get(i)), 0, out, i * d, d);
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(rows.size(), d, out));
  }
}
