package dev.lit4j.examples;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.embedding.Whitening;
import dev.lit4j.eval.CrossValidatedAccuracy;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.LinearProbe;
import dev.lit4j.eval.NamedRetrievalSet;
import dev.lit4j.eval.NamedZeroShotSet;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.examples.data.TrainingCorpus;
import dev.lit4j.examples.data.TrainingRow;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.CaptionFeatureCache;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingLength;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * End-to-end LiT-tuning on the data that ships with lit4j, with the {@link Recipe} chosen on a
 * validation split: the locked MobileNetV2 image tower's pre-computed embeddings of drawings, emoji
 * in several styles and their augmented views, whitened by a transform fitted on the training
 * images, train the projection of an all-MiniLM-L6-v2 text tower. Zero-shot accuracy (with its
 * diagnostics, the majority-class share and a linear probe beside it) on Tux Paint stamps and
 * Fashion-MNIST, and caption retrieval on the stamps, images and texts training never saw, are
 * measured before and after.
 *
 * <p>The validation split is every image group (an emoji in all its styles and views, or a drawing)
 * whose name hashes to 0 modulo 10 ({@link String#hashCode()}, stable across JVMs): the trainer
 * evaluates on it during training, and every recipe choice was made on it.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java} (after {@code mvn
 * -B -q install -DskipTests}). Arguments: {@code [epochs] [outputDirectory] [seeds]}.
 */
public final class LitTuning {
  /** Name of the validation evaluation sets. */
  public static final String VALIDATION = "validation";

  /** Name of the Tux Paint zero-shot and retrieval sets. */
  public static final String TUX_PAINT = "tuxpaint";

  /** Name of the Fashion-MNIST zero-shot set. */
  public static final String FASHION_MNIST = "fashion-mnist";

  private static final int VALIDATION_MODULUS = 10;
  private static final int PROBE_FOLDS = 5;

  /** L2 strength of the linear probes. */
  private static final double PROBE_L2 = 1e-2;

  /**
   * What to run.
   *
   * @param data the shipped data set
   * @param outputDirectory where the model, checkpoints, metrics log and plot go
   * @param recipe the training recipe
   * @param seed seeds data order, caption sampling and the projection's initialisation
   * @param progress where progress goes
   */
  public record Options(
      ShippedData data, Path outputDirectory, Recipe recipe, long seed, ProgressListener progress) {
    /** Validates that nothing is null. */
    public Options {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(outputDirectory, "outputDirectory");
      Objects.requireNonNull(recipe, "recipe");
      Objects.requireNonNull(progress, "progress");
    }
  }

  /**
   * What came out.
   *
   * @param options what was run
   * @param before validation and held-out metrics of the untrained text tower (step 0)
   * @param after the same for the trained model, loaded back from its directory
   * @param linearProbes cross-validated linear-probe top-1 on the locked features of each held-out
   *     zero-shot set, trained <em>with</em> its labels: the reference a zero-shot number is read
   *     against
   * @param training the trainer's result (steps, final loss, calibration, model directory)
   * @param trainingPairs training images (with views) after removing the validation groups
   * @param validationImages images in the validation split
   * @param seconds wall time of the whole run
   */
  public record Result(
      Options options,
      Evaluations before,
      Evaluations after,
      Map<String, CrossValidatedAccuracy> linearProbes,
      TrainingResult training,
      int trainingPairs,
      int validationImages,
      double seconds) {
    /** Copies the map. */
    public Result {
      linearProbes = Map.copyOf(linearProbes);
    }
  }

  /**
   * Metrics on the validation split and on the held-out sets, at one step.
   *
   * @param validation zero-shot over the validation images' categories and caption retrieval
   * @param heldOut Tux Paint and Fashion-MNIST zero-shot and Tux Paint caption retrieval
   */
  public record Evaluations(EvaluationMetrics validation, EvaluationMetrics heldOut) {}

  private LitTuning() {}

  /**
   * Prepares the data, trains and evaluates.
   *
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static Result run(Options options) throws IOException {
    return run(options, CaptionFeatureCache.create());
  }

  /**
   * Prepares the data, trains and evaluates, sharing the MiniLM encoder's caption features with
   * other runs through {@code captions} (several seeds or recipes in one JVM encode each caption
   * once).
   *
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static Result run(Options options, CaptionFeatureCache captions) throws IOException {
    Objects.requireNonNull(captions, "captions");
    long start = System.nanoTime();
    Recipe recipe = options.recipe();
    MobileNetV2Tower raw = MobileNetV2Tower.load();
    Prepared prepared;
    try {
      prepared = prepare(options.data(), recipe, raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
    try (ImageTower imageTower = prepared.imageTower();
        TransformerTextTower textTower = AllMiniLmL6V2.loadTower(imageTower.dimension())) {
      PairedEmbeddings train = prepared.train();
      TrainingLength length = TrainingLength.epochs(recipe.epochs());
      int steps = length.totalSteps(train.size() / recipe.batchSize());
      TrainerConfig config =
          TrainerConfig.builder(options.outputDirectory())
              .textTraining(recipe.textTraining())
              .loss(recipe.loss())
              .length(length)
              .batchSize(recipe.batchSize())
              .learningRate(recipe.learningRate())
              .weightDecay(recipe.weightDecay())
              .temperatureLearningRateFactor(recipe.temperatureLearningRateFactor())
              // Short runs: 5 % warmup rather than big_vision's floor of 100 steps.
              .warmupSteps(Math.max(1, steps / 20))
              // Three evaluations on the validation split, so the plot shows it moving.
              .evalEvery(Math.max(1, steps / 3))
              .seed(options.seed())
              .build();
      // A view over the untrained towers; not closed here, since closing a LitModel closes its
      // towers, which the try-with-resources above owns.
      LitModel untrained =
          LitModel.of(
              imageTower,
              textTower,
              new ScoreCalibration(
                  config.loss(), config.initialTemperature(), config.initialBias()));
      Evaluations before = evaluate(prepared, untrained, 0);
      TrainingResult result;
      try (PyTorchContrastiveTrainer trainer =
          PyTorchContrastiveTrainer.builder(textTower, imageTower, config)
              .evaluation(prepared.validation())
              .promptTemplates(recipe.templates())
              .captionFeatureCache(captions)
              .progress(options.progress())
              .build()) {
        result = trainer.train(train);
      }
      // Evaluate what a user gets: the saved model directory, loaded back.
      Evaluations after;
      try (LitModel trained = LitModel.load(result.modelDirectory())) {
        after = evaluate(prepared, trained, result.steps());
      }
      return new Result(
          options,
          before,
          after,
          prepared.linearProbes(),
          result,
          train.size(),
          prepared.validationImages(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  private static Evaluations evaluate(Prepared prepared, LitModel model, int step) {
    return new Evaluations(
        prepared.validation().evaluate(model, step), prepared.heldOut().evaluate(model, step));
  }

  /** The training pairs and evaluation sets in the image tower's space. */
  private record Prepared(
      ImageTower imageTower,
      PairedEmbeddings train,
      EvaluationData validation,
      EvaluationData heldOut,
      Map<String, CrossValidatedAccuracy> linearProbes,
      int validationImages) {}

  private static Prepared prepare(ShippedData data, Recipe recipe, MobileNetV2Tower raw)
      throws IOException {
    // One read of every source: the validation split is drawn from all of them whatever the
    // recipe trains on, so that recipes are compared on the same images.
    TrainingCorpus corpus =
        data.trainingCorpus(raw.identity(), EnumSet.allOf(TrainingSource.class), recipe.views());
    TrainingCorpus trainRows =
        corpus.select(r -> !isValidation(r) && recipe.sources().contains(r.source()));
    TrainingCorpus validationRows = corpus.select(r -> isValidation(r) && !r.isView());
    PairedEmbeddings train = TrainingCaptions.of(trainRows, recipe.captions(), recipe.templates());

    ImageTower imageTower = raw;
    PairedEmbeddings trainInTowerSpace = train;
    UnaryOperator<EmbeddingMatrix> toTower = UnaryOperator.identity();
    if (recipe.whiteningComponents() > 0) {
      WhitenedImageTower whitened =
          WhitenedImageTower.of(
              raw,
              Whitening.fit(
                  train.images(), recipe.whiteningComponents(), recipe.whiteningEpsilon()));
      imageTower = whitened;
      toTower = whitened::whiten;
      // Carries the whitened tower's identity, which the trainer checks against its image tower.
      trainInTowerSpace = train.whitened(whitened);
    }
    ZeroShotSet tuxPaint = data.zeroShotSet(raw.identity());
    ZeroShotSet fashion = data.fashionMnist(raw.identity());
    Map<String, CrossValidatedAccuracy> probes = new LinkedHashMap<>();
    probes.put(TUX_PAINT, probe(tuxPaint));
    probes.put(FASHION_MNIST, probe(fashion));

    EvaluationData validation =
        new EvaluationData(
                List.of(
                    new NamedZeroShotSet(
                        VALIDATION, validationRows.zeroShotSet(), recipe.templates())),
                Optional.of(new NamedRetrievalSet(VALIDATION, firstCaptions(validationRows))))
            .mapImages(toTower);
    EvaluationData heldOut =
        new EvaluationData(
                List.of(
                    new NamedZeroShotSet(TUX_PAINT, tuxPaint, recipe.templates()),
                    new NamedZeroShotSet(FASHION_MNIST, fashion, recipe.templates())),
                Optional.of(new NamedRetrievalSet(TUX_PAINT, data.retrievalPairs(raw.identity()))))
            .mapImages(toTower);
    return new Prepared(
        imageTower, trainInTowerSpace, validation, heldOut, probes, validationRows.size());
  }

  /**
   * Whether a training row belongs to the validation split: its group (all styles and views of one
   * emoji, or one drawing) hashes to 0 modulo 10.
   */
  static boolean isValidation(TrainingRow row) {
    return Math.floorMod(row.group().hashCode(), VALIDATION_MODULUS) == 0;
  }

  /** Retrieval on the validation images by their first caption (their title). */
  private static PairedEmbeddings firstCaptions(TrainingCorpus corpus) {
    List<List<String>> captions = new ArrayList<>();
    for (List<String> c : corpus.pairs().captions()) {
      captions.add(List.of(c.get(0)));
    }
    return corpus.pairs().withCaptions(captions);
  }

  /**
   * A linear probe with labels on the locked features, stratified and cross-validated with as many
   * folds (at most 5) as the rarest class allows.
   */
  static CrossValidatedAccuracy probe(ZeroShotSet set) {
    int[] counts = new int[set.classNames().size()];
    for (int c : set.trueClasses()) {
      counts[c]++;
    }
    int rarest = Integer.MAX_VALUE;
    for (int n : counts) {
      if (n > 0) {
        rarest = Math.min(rarest, n);
      }
    }
    int folds = Math.max(2, Math.min(PROBE_FOLDS, rarest));
    return LinearProbe.crossValidatedAccuracy(set.images(), set.trueClasses(), folds, PROBE_L2, 0);
  }

  /** Labels the sample images are classified among. */
  static final List<String> SAMPLE_LABELS =
      List.of("dog", "cat", "house", "car", "sneaker", "bag", "dress", "tree");

  /**
   * Classifies every PNG in {@code samples} with the model in {@code modelDirectory} among {@link
   * #SAMPLE_LABELS} and prints the best label of each.
   *
   * @throws IOException if the model or an image cannot be read
   */
  static void classifySamples(Path modelDirectory, Path samples, PrintStream out)
      throws IOException {
    List<Path> images;
    try (Stream<Path> files = Files.list(samples)) {
      images = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    try (LitModel model = LitModel.load(modelDirectory);
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, SAMPLE_LABELS)) {
      out.println("sample images, among " + SAMPLE_LABELS + ":");
      for (Path image : images) {
        ClassScore best = classifier.classify(ImageFiles.read(image)).best();
        out.printf("  %-28s %-8s %.2f%n", image.getFileName(), best.label(), best.score());
      }
    }
  }

  /**
   * Runs the default recipe for one or more seeds, prints the table and writes {@code results.json}
   * (and, for several seeds, one run directory per seed).
   *
   * @param args optional {@code [epochs] [outputDirectory] [seeds]}, seeds comma-separated
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static void main(String[] args) throws IOException {
    Recipe recipe = Recipe.DEFAULT;
    if (args.length > 0) {
      recipe = recipe.toBuilder().epochs(Integer.parseInt(args[0])).build();
    }
    Path out = Path.of(args.length > 1 ? args[1] : "target/lit-tuning");
    List<Long> seeds = new ArrayList<>();
    for (String s : (args.length > 2 ? args[2] : "0").split(",")) {
      seeds.add(Long.parseLong(s.strip()));
    }
    ShippedData data = ShippedData.locate();
    List<Result> results = new ArrayList<>();
    // The seeds share the locked encoder's caption features: each caption is encoded once.
    CaptionFeatureCache captions = CaptionFeatureCache.create();
    for (long seed : seeds) {
      Path dir = seeds.size() == 1 ? out : out.resolve("seed-" + seed);
      results.add(
          run(new Options(data, dir, recipe, seed, ConsoleProgressBar.to(System.err)), captions));
    }
    ResultsReport report = ResultsReport.of(results);
    report.print(System.out);
    Path json = out.resolve("results.json");
    report.writeJson(json);
    Path chart = out.resolve("results.png");
    report.writeChart(chart);
    Path samples = data.directory().resolveSibling("samples");
    if (Files.isDirectory(samples)) {
      classifySamples(results.get(0).training().modelDirectory(), samples, System.out);
    }
    System.out.println("model:   " + results.get(0).training().modelDirectory());
    System.out.println(
        "curves:  " + results.get(0).options().outputDirectory().resolve("curves.png"));
    System.out.println("results: " + json + ", " + chart);
  }
}
