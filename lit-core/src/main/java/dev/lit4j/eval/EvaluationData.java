package dev.lit4j.eval;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.TextTower;
import dev.lit4j.retrieval.RetrievalMetrics;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Held-out data a trainer evaluates on every {@link TrainerConfig#evalEvery()} steps and at the
 * end: zero-shot classification on any number of named sets, each with its own prompt templates,
 * and image↔text retrieval recall on at most one named set.
 *
 * <p>Every image embedding in one evaluation lives in the same image space, so all sets share one
 * dimension; checking the first set's dimension (as {@link #zeroShot()} exposes it) checks them
 * all.
 *
 * <pre>{@code
 * EvaluationData data =
 *     new EvaluationData(
 *         List.of(
 *             NamedZeroShotSet.of("tuxpaint", tuxPaint),
 *             new NamedZeroShotSet("fashion-mnist", fashion, PromptTemplates.SINGLE)),
 *         Optional.of(new NamedRetrievalSet("tuxpaint-captions", pairs)));
 * }</pre>
 *
 * @param zeroShotSets the zero-shot sets, in reporting order; names unique
 * @param retrievalSet held-out image–caption pairs for Recall@K in both directions
 */
public record EvaluationData(
    List<NamedZeroShotSet> zeroShotSets, Optional<NamedRetrievalSet> retrievalSet) {
  /** No evaluation. */
  public static final EvaluationData NONE = new EvaluationData(List.of(), Optional.empty());

  /**
   * @param zeroShotSets the zero-shot sets, in reporting order; names unique
   * @param retrievalSet held-out image–caption pairs for Recall@K in both directions
   * @throws IllegalArgumentException if two zero-shot sets share a name, or the sets' image
   *     dimensions differ (the names and dimensions are named)
   * @throws NullPointerException if an argument is null (use {@link Optional#empty()})
   */
  public EvaluationData {
    zeroShotSets = List.copyOf(Objects.requireNonNull(zeroShotSets, "zeroShotSets"));
    Objects.requireNonNull(retrievalSet, "retrievalSet");
    Set<String> names = new HashSet<>();
    String firstName = null;
    int dimension = -1;
    for (NamedZeroShotSet z : zeroShotSets) {
      if (!names.add(z.name())) {
        throw new IllegalArgumentException(
            "two zero-shot sets are named '" + z.name() + "'; give each set its own name");
      }
      firstName = checkDimension(firstName, dimension, z.name(), z.set().images());
      dimension = z.set().images().dimension();
    }
    if (retrievalSet.isPresent()) {
      NamedRetrievalSet r = retrievalSet.get();
      checkDimension(firstName, dimension, r.name(), r.pairs().images());
    }
  }

  private static String checkDimension(
      String firstName, int dimension, String name, EmbeddingMatrix images) {
    if (firstName != null && images.dimension() != dimension) {
      throw new IllegalArgumentException(
          "evaluation set '"
              + name
              + "' has image dimension "
              + images.dimension()
              + ", set '"
              + firstName
              + "' has "
              + dimension
              + "; embed every set with the same image tower");
    }
    return firstName == null ? name : firstName;
  }

  /**
   * Returns evaluation on one zero-shot set and/or retrieval pairs, named {@link
   * NamedZeroShotSet#DEFAULT_NAME} and {@link NamedRetrievalSet#DEFAULT_NAME}, with the {@link
   * NamedZeroShotSet#DEFAULT_TEMPLATES}.
   *
   * @param zeroShot the zero-shot set, if any
   * @param retrieval the retrieval pairs, if any
   */
  public EvaluationData(Optional<ZeroShotSet> zeroShot, Optional<PairedEmbeddings> retrieval) {
    this(
        Objects.requireNonNull(zeroShot, "zeroShot")
            .map(z -> NamedZeroShotSet.of(NamedZeroShotSet.DEFAULT_NAME, z))
            .stream()
            .toList(),
        Objects.requireNonNull(retrieval, "retrieval")
            .map(r -> new NamedRetrievalSet(NamedRetrievalSet.DEFAULT_NAME, r)));
  }

  /**
   * {@return evaluation on a zero-shot set only, named {@link NamedZeroShotSet#DEFAULT_NAME}}
   *
   * @param set the zero-shot set
   */
  public static EvaluationData zeroShot(ZeroShotSet set) {
    return new EvaluationData(Optional.of(set), Optional.empty());
  }

  /**
   * {@return evaluation on retrieval pairs only, named {@link NamedRetrievalSet#DEFAULT_NAME}}
   *
   * @param pairs the retrieval pairs
   */
  public static EvaluationData retrieval(PairedEmbeddings pairs) {
    return new EvaluationData(Optional.empty(), Optional.of(pairs));
  }

  /**
   * {@return evaluation on both a zero-shot set and retrieval pairs, with the default names}
   *
   * @param set the zero-shot set
   * @param pairs the retrieval pairs
   */
  public static EvaluationData of(ZeroShotSet set, PairedEmbeddings pairs) {
    return new EvaluationData(Optional.of(set), Optional.of(pairs));
  }

  /** {@return the first zero-shot set, when there is one} */
  public Optional<ZeroShotSet> zeroShot() {
    return zeroShotSets.stream().findFirst().map(NamedZeroShotSet::set);
  }

  /** {@return the retrieval pairs, when there are some} */
  public Optional<PairedEmbeddings> retrieval() {
    return retrievalSet.map(NamedRetrievalSet::pairs);
  }

  /**
   * Evaluates {@code model} on this data with lit-core's own {@link ZeroShotClassifier}, {@link
   * ClassificationMetrics}, {@link ClassificationDiagnostics} and {@link RetrievalMetrics} — the
   * code a user of the finished model runs. Only the text tower embeds; images come from the
   * pre-computed embeddings, so the image tower is never run: they must already be in the model's
   * image space (see {@link #mapImages} for a model whose image tower adds a head to the tower that
   * computed them).
   *
   * @param model the model whose text tower and calibration are evaluated
   * @param step the training step the result is labelled with
   * @return the metrics of every set, labelled with {@code step}
   * @throws IllegalArgumentException if the embeddings' dimension differs from the model's
   */
  public EvaluationMetrics evaluate(LitModel model, int step) {
    Objects.requireNonNull(model, "model");
    List<ZeroShotSetMetrics> zeroShot = new ArrayList<>(zeroShotSets.size());
    for (NamedZeroShotSet z : zeroShotSets) {
      zeroShot.add(zeroShot(model, z));
    }
    Optional<RetrievalSetMetrics> recall =
        retrievalSet.map(
            r -> new RetrievalSetMetrics(r.name(), recall(model.textTower(), r.pairs())));
    return new EvaluationMetrics(step, zeroShot, recall);
  }

  private static ZeroShotSetMetrics zeroShot(LitModel model, NamedZeroShotSet named) {
    ZeroShotSet set = named.set();
    ZeroShotClassifier classifier =
        ZeroShotClassifier.builder(model, set.classNames()).templates(named.templates()).build();
    List<ClassScores> predictions = classifier.classifyAll(set.images());
    int[] truth = set.trueClasses();
    return new ZeroShotSetMetrics(
        named.name(),
        ClassificationMetrics.evaluate(predictions, truth),
        ClassificationDiagnostics.evaluate(predictions, truth)
            .withClassEmbeddings(classifier.classEmbeddings()));
  }

  private static RetrievalMetrics recall(TextTower textTower, PairedEmbeddings pairs) {
    List<String> texts = new ArrayList<>();
    int[] owner = new int[pairs.captions().stream().mapToInt(List::size).sum()];
    for (int i = 0; i < pairs.size(); i++) {
      for (String caption : pairs.captions().get(i)) {
        owner[texts.size()] = i;
        texts.add(caption);
      }
    }
    EmbeddingMatrix textEmbeddings = textTower.embedAll(texts);
    return RetrievalMetrics.evaluate(pairs.images(), textEmbeddings, owner);
  }

  /**
   * {@return the same evaluation with every image embedding mapped by {@code map}, e.g. through a
   * trained image head, so that the images live in the space of the model being evaluated} Names
   * and templates are kept; the retrieval pairs' {@linkplain PairedEmbeddings#imageIdentity() image
   * identity} is dropped, since which tower {@code map} stands for is not known here.
   *
   * @param map maps a batch of image embeddings to another of the same size
   */
  public EvaluationData mapImages(UnaryOperator<EmbeddingMatrix> map) {
    Objects.requireNonNull(map, "map");
    return new EvaluationData(
        zeroShotSets.stream()
            .map(
                z ->
                    new NamedZeroShotSet(
                        z.name(),
                        new ZeroShotSet(
                            map.apply(z.set().images()),
                            z.set().classNames(),
                            z.set().trueClasses()),
                        z.templates()))
            .toList(),
        retrievalSet.map(
            r ->
                new NamedRetrievalSet(
                    r.name(),
                    new PairedEmbeddings(map.apply(r.pairs().images()), r.pairs().captions()))));
  }

  /** {@return whether there is anything to evaluate} */
  public boolean isEmpty() {
    return zeroShotSets.isEmpty() && retrievalSet.isEmpty();
  }
}
