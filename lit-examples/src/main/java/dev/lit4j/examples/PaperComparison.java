package dev.lit4j.examples;

import dev.lit4j.eval.CrossValidatedAccuracy;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.io.AtomicDirectory;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.training.RawImageTrainer;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The LiT paper's image × text tower comparison at small scale (Zhai et al. 2022, §4.2, Table 1 and
 * Fig. 3; issue 11): the image tower locked, unlocked or from scratch, the text tower MiniLM or
 * from scratch, both text towers fully trained, plus LiT ({@code LU}) at the locked tower's full
 * 224 px as reference. Every arm trains with {@link RawImageTrainer} on the same Open Clip Art
 * pairs for the same steps, batch size, learning rate and seeds ({@link ComparisonData}), and is
 * measured on Tux Paint and Fashion-MNIST zero-shot (top-1, top-5) and Tux Paint caption retrieval,
 * beside chance, the majority class and a labelled linear probe on the locked tower's 224 px
 * features.
 *
 * <p>Deviations from the paper: MobileNetV2 and MiniLM instead of ViT and BERT-style towers; a few
 * thousand pairs and steps instead of billions; one learning rate for every arm and both towers, no
 * augmentation, the softmax loss; images squashed to a low resolution (default 112 px) so that six
 * arms fit on a CPU.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java
 * -Dexec.mainClass=dev.lit4j.examples.PaperComparison -Dexec.args="--steps 75 --batch 32"} (after
 * {@code mvn -B -q install -DskipTests}). Writes {@code comparison.md} and {@code comparison.png}
 * to the output directory, {@value #RUNS_LOG} as each arm finishes, and each arm's metrics log and
 * training curves under {@code runs/<code>-<resolution>px-seed<seed>/}. Run again with the same
 * output directory and settings, it continues: the runs already in {@value #RUNS_LOG} are read back
 * instead of run again (an interrupted comparison loses only the arm in progress, and a finished
 * one just rewrites its table and chart).
 *
 * @see RawImageTrainer
 */
public final class PaperComparison {
  /** Default output directory. */
  public static final Path DEFAULT_OUTPUT = Path.of("target/paper-comparison");

  /**
   * Default optimiser steps per arm: with {@link #DEFAULT_BATCH}, about what fits six arms and the
   * reference for two seeds into an hour on two CPU cores, estimated from a 5-step smoke run (about
   * 1 s per step at batch 16, 45 s to evaluate an arm at 112 px and 230 s at 224 px).
   */
  public static final int DEFAULT_STEPS = 75;

  /** Default batch size. */
  public static final int DEFAULT_BATCH = 32;

  /** Default resolution of the six arms. */
  public static final int DEFAULT_RESOLUTION = 112;

  /**
   * Default peak learning rate of every arm: between the rate that suits a pre-trained tower (1e-4)
   * and one that suits a tower from scratch (1e-3), since the paper's protocol gives every arm the
   * same one.
   */
  public static final double DEFAULT_LEARNING_RATE = 3e-4;

  /** Default Fashion-MNIST test images per class (200: the shipped held-out set's size). */
  public static final int DEFAULT_FASHION_PER_CLASS = 200;

  /** Name of the per-run log in the output directory, appended to as each arm finishes. */
  public static final String RUNS_LOG = "runs.tsv";

  private PaperComparison() {}

  /**
   * What to run.
   *
   * @param outputDirectory where the table, chart and Fashion-MNIST PNGs go
   * @param seeds the seeds, each run for every arm
   * @param steps optimiser steps per arm
   * @param batchSize batch size of every arm
   * @param learningRate peak learning rate of every arm (5 % warmup, then cosine)
   * @param fashionPerClass Fashion-MNIST test images per class
   * @param arms the arms, in table order
   */
  public record Options(
      Path outputDirectory,
      List<Long> seeds,
      int steps,
      int batchSize,
      double learningRate,
      int fashionPerClass,
      List<Arm> arms) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a count is not positive, the learning rate is not
     *     positive and finite, or there is no seed or arm
     */
    public Options {
      Objects.requireNonNull(outputDirectory, "outputDirectory");
      seeds = List.copyOf(seeds);
      arms = List.copyOf(arms);
      if (seeds.isEmpty() || arms.isEmpty()) {
        throw new IllegalArgumentException(
            "give at least one seed and one arm, got seeds " + seeds + " and arms " + arms);
      }
      if (steps < 1 || batchSize < 1 || fashionPerClass < 1) {
        throw new IllegalArgumentException(
            "steps, batch size and Fashion-MNIST images per class must be at least 1, got "
                + steps
                + ", "
                + batchSize
                + ", "
                + fashionPerClass);
      }
      if (!(learningRate > 0 && Double.isFinite(learningRate))) {
        throw new IllegalArgumentException(
            "learning rate must be positive and finite, got " + learningRate);
      }
    }

    /**
     * {@return what every run shares, as the first line of {@value #RUNS_LOG} records it: a later
     * invocation continues the log only with the same}
     */
    String settings() {
      return String.format(
          Locale.ROOT,
          "steps %d, batch %d, learning rate %s, Fashion-MNIST images per class %d",
          steps,
          batchSize,
          Double.toString(learningRate),
          fashionPerClass);
    }

    /** {@return the six arms at {@code resolution} and LiT at 224 px} */
    public static List<Arm> defaultArms(int resolution) {
      List<Arm> arms = new ArrayList<>(Arm.grid(resolution));
      arms.add(Arm.reference(Arm.ImageSetting.LOCKED));
      return List.copyOf(arms);
    }

    /**
     * {@return the configuration every arm trains with for {@code seed}, writing to the run's own
     * directory {@code runs/<code>-<resolution>px-seed<seed>/} (metrics log, curves, checkpoints)}
     */
    TrainerConfig config(Arm arm, long seed) {
      Path run =
          outputDirectory
              .resolve("runs")
              .resolve(arm.code() + "-" + arm.resolution() + "px-seed" + seed);
      return TrainerConfig.builder(run)
          .textTraining(TextTraining.FULL)
          .batchSize(batchSize)
          .steps(steps)
          .warmupSteps(Math.max(1, steps / 20))
          .learningRate(learningRate)
          .seed(seed)
          .build();
    }
  }

  /**
   * The reference numbers a held-out zero-shot set is read against.
   *
   * @param set the set's name
   * @param classes the number of classes
   * @param chanceTop1 {@code 1 / classes}
   * @param chanceTop5 {@code min(5, classes) / classes}
   * @param majorityTop1 the share of the most frequent class
   * @param majorityTop5 the share of the five most frequent classes
   * @param linearProbe cross-validated top-1 of a linear probe trained with the labels on the
   *     locked tower's 224 px features
   */
  public record Baseline(
      String set,
      int classes,
      double chanceTop1,
      double chanceTop5,
      double majorityTop1,
      double majorityTop5,
      CrossValidatedAccuracy linearProbe) {}

  /**
   * What came out.
   *
   * @param options what was run
   * @param runs the numbers of each arm and seed, arms in option order, seeds inner (read back from
   *     {@value #RUNS_LOG} for runs an earlier invocation finished)
   * @param baselines one per held-out zero-shot set
   * @param retrievalImages the images (and captions) of the retrieval set: R@K by chance is {@code
   *     K / retrievalImages}
   * @param trainingImages training images after the validation split and near-duplicates are
   *     removed
   * @param seconds wall time of this invocation
   */
  public record Result(
      Options options,
      List<RunNumbers> runs,
      List<Baseline> baselines,
      int retrievalImages,
      int trainingImages,
      double seconds) {
    /** Copies the lists. */
    public Result {
      runs = List.copyOf(runs);
      baselines = List.copyOf(baselines);
    }

    /** {@return the runs of {@code arm}, one per seed} */
    public List<RunNumbers> runs(Arm arm) {
      return runs.stream().filter(r -> r.arm().equals(arm)).toList();
    }
  }

  /**
   * Reads the data, runs every arm for every seed that {@value #RUNS_LOG} in the output directory
   * does not already hold, and measures the baselines.
   *
   * @throws IllegalArgumentException if {@value #RUNS_LOG} holds runs made with other settings
   *     (both named, with the fix)
   * @throws java.nio.file.NoSuchFileException if a Debian package's files are missing (named)
   * @throws IOException if the data cannot be read
   */
  public static Result run(Options options) throws IOException {
    long start = System.nanoTime();
    Files.createDirectories(options.outputDirectory());
    Path log = options.outputDirectory().resolve(RUNS_LOG);
    List<RunNumbers> earlier = ComparisonReport.readRuns(log, options.settings());
    if (!earlier.isEmpty()) {
      System.err.printf(
          "continuing the comparison in %s: %d runs are already in %s%n",
          options.outputDirectory(), earlier.size(), RUNS_LOG);
    }
    ComparisonData data =
        ComparisonData.load(
            options.fashionPerClass(), options.outputDirectory().resolve("fashion-mnist"));
    System.err.printf(
        "%d training images (%d validation images left out), held out: %s%n",
        data.train().size(),
        data.validationImages(),
        data.heldOut().zeroShot().stream().map(l -> l.name() + " " + l.images().size()).toList());
    List<Baseline> baselines = baselines(data.heldOut());
    List<RunNumbers> runs = new ArrayList<>();
    for (Arm arm : options.arms()) {
      for (long seed : options.seeds()) {
        Optional<RunNumbers> done = earlier.stream().filter(r -> r.isRunOf(arm, seed)).findFirst();
        if (done.isPresent()) {
          runs.add(done.get());
          continue;
        }
        TrainerConfig config = options.config(arm, seed);
        ArmResult r =
            ArmRunner.run(
                arm,
                config,
                data.train(),
                data.heldOut(),
                ArmRunner.ARM_TEXT_TOWERS,
                ConsoleProgressBar.to(System.err));
        System.err.printf(
            Locale.ROOT,
            "%s seed %d: tuxpaint top-1 %.3f, fashion-mnist top-1 %.3f, final loss %.3f,"
                + " %.0f s (training %.0f s)%n",
            arm.describe(),
            seed,
            r.top1(LitTuning.TUX_PAINT),
            r.top1(LitTuning.FASHION_MNIST),
            r.training().losses().get(r.training().losses().size() - 1),
            r.seconds(),
            r.trainSeconds());
        RunNumbers numbers = ComparisonReport.numbers(r);
        runs.add(numbers);
        ComparisonReport.appendRun(numbers, options.settings(), log);
        // The run's numbers are in the log now; its checkpoint (about 300 MB, mostly MiniLM's
        // weights and moments) would only resume a run that has finished.
        AtomicDirectory.deleteRecursively(config.checkpointDirectory());
      }
    }
    return new Result(
        options,
        runs,
        baselines,
        data.heldOut().retrieval().orElseThrow().images().size(),
        data.train().size(),
        (System.nanoTime() - start) / 1e9);
  }

  /** Chance, majority class and a linear probe on the locked tower's 224 px features. */
  private static List<Baseline> baselines(HeldOutImages heldOut) throws IOException {
    List<Baseline> out = new ArrayList<>();
    try (TrainableMobileNetV2 locked = TrainableMobileNetV2.builder(Init.PRETRAINED).build()) {
      TrainedImageTower view = TrainedImageTower.of(locked, Arm.FULL_RESOLUTION, "locked");
      for (HeldOutImages.Labelled l : heldOut.zeroShot()) {
        ZeroShotSet set =
            new ZeroShotSet(
                ArmRunner.embedFiles(view, l.images(), Arm.FULL_RESOLUTION),
                l.classNames(),
                l.trueClasses());
        int k = l.classNames().size();
        int[] counts = new int[k];
        for (int c : l.trueClasses()) {
          counts[c]++;
        }
        Arrays.sort(counts);
        double n = l.images().size();
        int top5 = 0;
        for (int i = 0; i < Math.min(5, k); i++) {
          top5 += counts[k - 1 - i];
        }
        out.add(
            new Baseline(
                l.name(),
                k,
                1.0 / k,
                Math.min(5, k) / (double) k,
                counts[k - 1] / n,
                top5 / n,
                LitTuning.probe(set)));
      }
    }
    return out;
  }

  /**
   * Runs the comparison, prints the table and writes {@code comparison.md} and {@code
   * comparison.png}.
   *
   * @param args {@code [--out DIR] [--seeds 0,1] [--steps N] [--batch B] [--resolution R] [--lr X]
   *     [--fashion-per-class N] [--arms LU,UU,uu,LU@224]} (default arms: the six at {@code
   *     --resolution} and LU at 224 px; see {@link Arm#parse})
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = DEFAULT_OUTPUT;
    String seeds = "0,1";
    int steps = DEFAULT_STEPS;
    int batch = DEFAULT_BATCH;
    int resolution = DEFAULT_RESOLUTION;
    double lr = DEFAULT_LEARNING_RATE;
    int perClass = DEFAULT_FASHION_PER_CLASS;
    String arms = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " has no value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--out" -> out = Path.of(v);
        case "--seeds" -> seeds = v;
        case "--steps" -> steps = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--resolution" -> resolution = Integer.parseInt(v);
        case "--lr" -> lr = Double.parseDouble(v);
        case "--fashion-per-class" -> perClass = Integer.parseInt(v);
        case "--arms" -> arms = v;
        default ->
            throw new IllegalArgumentException(
                "unknown option '"
                    + args[i]
                    + "', expected one of [--out, --seeds, --steps, --batch, --resolution, --lr,"
                    + " --fashion-per-class, --arms]");
      }
    }
    List<Long> seedList =
        Arrays.stream(seeds.split(",")).map(s -> Long.parseLong(s.strip())).toList();
    int px = resolution;
    List<Arm> armList =
        arms == null
            ? Options.defaultArms(resolution)
            : Arrays.stream(arms.split(",")).map(a -> Arm.parse(a, px)).toList();
    Result result = run(new Options(out, seedList, steps, batch, lr, perClass, armList));
    Files.createDirectories(out);
    Path table = out.resolve("comparison.md");
    ComparisonReport.writeTable(result, table);
    Path chart = out.resolve("comparison.png");
    // Save first, decorate after: a chart failure never loses the table.
    try {
      ComparisonReport.writeChart(result, chart);
    } catch (IOException | RuntimeException e) {
      System.err.println("chart not written: " + e);
    }
    System.out.print(ComparisonReport.table(result));
    System.out.printf(
        Locale.ROOT, "table: %s, chart: %s, %.0f s in all%n", table, chart, result.seconds());
  }
}
