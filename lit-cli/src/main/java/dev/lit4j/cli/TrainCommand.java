package dev.lit4j.cli;

import com.google.gson.JsonObject;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.loss.LossKind;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.training.ImageHead;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StoredPairs;
import dev.lit4j.training.TextTraining;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingInterruptedException;
import dev.lit4j.training.TrainingLength;
import dev.lit4j.training.TrainingPairs;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lit train}: LiT-tunes a text tower on an embedding store and captions. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "LiT-tune a text tower on an embedding store and captions.",
    description = {
      "LiT-tune a text tower against the locked image embeddings of a store (lit embed) and their"
          + " captions, and write the trained model into RUN/model, with the metrics log"
          + " (RUN/metrics.jsonl), the training curves (RUN/curves.png) and checkpoints"
          + " (RUN/checkpoints).",
      "The store must have been built with the image tower of --model (the default model unless"
          + " given), or with the locked tower inside it when that tower is whitened (such as the"
          + " stores in lit-examples/data); the trained model keeps that image tower. The text"
          + " tower starts from all-MiniLM-L6-v2 with a new projection (--init minilm), or from"
          + " --model's text tower (--init model).",
      "The captions file is JSON Lines: {\"id\": \"…\", \"caption\": \"…\"} or {\"id\": \"…\","
          + " \"captions\": [\"…\", …]} per line, the id being the image's id in the store; every"
          + " image needs at least one caption.",
      "The defaults are the recipe of the default model (projection-only training, softmax"
          + " loss, 5 epochs of 256 pairs, learning rate 3e-3). Ctrl-C or SIGTERM stops after the"
          + " current step and writes a checkpoint; --resume continues from the newest one with"
          + " the same settings and data."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit train --store lit-examples/data/tuxpaint/store \\",
      "      --captions lit-examples/data/tuxpaint/captions.jsonl --out tux-run",
      "  lit train --store photos.store --captions captions.jsonl --out run1 \\",
      "      --eval-set test.csv --eval-every 100 --checkpoint-every 500"
    })
final class TrainCommand implements Callable<Integer>, Subcommand {
  private final CliContext context;

  @Spec private CommandSpec spec;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description = "The embedding store of the training images.")
  private Path store;

  @Option(
      names = "--captions",
      required = true,
      paramLabel = "FILE",
      description = "Their captions, JSON Lines by store id.")
  private Path captions;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "RUN",
      description = "The run directory: model/, checkpoints/, metrics.jsonl, curves.png.")
  private Path out;

  @Option(
      names = "--resume",
      description = "Continue the run in RUN from its newest checkpoint (same settings and data).")
  private boolean resume;

  @Option(
      names = "--init",
      paramLabel = "FROM",
      defaultValue = "minilm",
      description =
          "minilm (all-MiniLM-L6-v2 with a new projection) or model (--model's text tower)"
              + " (default: ${DEFAULT-VALUE}).")
  private TextInit init;

  @ArgGroup(exclusive = true)
  private Length length;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "256",
      description = "Image-caption pairs per step (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      defaultValue = "3e-3",
      description =
          "Peak learning rate, after warmup, then cosine decay (default: ${DEFAULT-VALUE}).")
  private double learningRate;

  @Option(
      names = "--warmup-steps",
      paramLabel = "N",
      description = "Linear warmup steps (default: 5%% of the steps, at least 1).")
  private Integer warmupSteps;

  @Option(
      names = "--weight-decay",
      paramLabel = "W",
      defaultValue = "1e-4",
      description = "Decoupled weight decay of the weight matrices (default: ${DEFAULT-VALUE}).")
  private double weightDecay;

  @Option(
      names = "--loss",
      paramLabel = "KIND",
      defaultValue = "softmax",
      description = "softmax (CLIP) or sigmoid (SigLIP) (default: ${DEFAULT-VALUE}).")
  private LossKind loss;

  @Option(
      names = "--text-training",
      paramLabel = "WHAT",
      defaultValue = "projection",
      description =
          "projection (only the projection on the locked encoder: fast, under 2 MB) or full"
              + " (every layer) (default: ${DEFAULT-VALUE}).")
  private TextTraining textTraining;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Seeds data order, caption sampling and initialisation (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Steps between checkpoints; 0 writes only the final one (default: ${DEFAULT-VALUE}).")
  private int checkpointEvery;

  @Option(
      names = "--eval-set",
      paramLabel = "CSV",
      description =
          "Held-out labelled images (path,label[,caption], as lit eval) evaluated during training.")
  private Path evalSet;

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Steps between evaluations; 0 evaluates at the end only (default: ${DEFAULT-VALUE}).")
  private int evalEvery;

  @Option(
      names = "--templates",
      paramLabel = "SET",
      defaultValue = "simple",
      converter = TemplateChoice.Converter.class,
      description =
          "Prompt templates saved with the model and used for --eval-set: "
              + TemplateChoice.VALUES
              + " (default: ${DEFAULT-VALUE}).")
  private TemplateChoice templates;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      defaultValue = "10",
      description = "Initial logit scale (default: ${DEFAULT-VALUE}).")
  private double temperature;

  @Option(
      names = "--max-temperature",
      paramLabel = "T",
      defaultValue = "100",
      description = "Clamp on the logit scale (default: ${DEFAULT-VALUE}).")
  private double maxTemperature;

  @Option(
      names = "--temperature-lr-factor",
      paramLabel = "F",
      defaultValue = "1",
      description =
          "Learning rate of the logit scale and bias relative to the weights' (default:"
              + " ${DEFAULT-VALUE}).")
  private double temperatureLrFactor;

  @Option(
      names = "--bias",
      paramLabel = "B",
      defaultValue = "-10",
      description = "Initial bias of the sigmoid loss (default: ${DEFAULT-VALUE}).")
  private double bias;

  @Option(
      names = "--image-head",
      paramLabel = "HEAD",
      defaultValue = "none",
      description =
          "none (the locked embeddings as they are) or linear (a trainable square map on them)"
              + " (default: ${DEFAULT-VALUE}).")
  private ImageHead imageHead;

  @Option(
      names = "--gradient-clip",
      paramLabel = "NORM",
      defaultValue = "1",
      description = "Global gradient-norm clip; Infinity disables it (default: ${DEFAULT-VALUE}).")
  private double gradientClip;

  @Option(
      names = "--loss-chunk",
      paramLabel = "ROWS",
      defaultValue = "0",
      description =
          "Rows per chunk of the memory-bounded loss; 0 computes it whole (default: ${DEFAULT-VALUE}).")
  private int lossChunk;

  @Mixin private ModelOption model;

  @Mixin private CommonOptions common;

  /** How long to train: epochs or steps, not both. */
  static final class Length {
    @Option(
        names = "--epochs",
        paramLabel = "N",
        description = "Passes over the images (default: 5).")
    Integer epochs;

    @Option(
        names = "--steps",
        paramLabel = "N",
        description = "Optimiser steps, instead of --epochs.")
    Integer steps;
  }

  /** Where the text tower starts. */
  enum TextInit {
    /** all-MiniLM-L6-v2 with a new, seeded projection to the image dimension. */
    MINILM,
    /** The base model's own text tower, trained further. */
    MODEL
  }

  TrainCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * What to train.
   *
   * @param store the embedding store
   * @param captions the captions file
   * @param init where the text tower starts
   * @param config the trainer's configuration, without the warmup when {@code warmupSteps} is empty
   * @param warmupSteps the warmup; empty for 5 % of the steps, at least 1
   * @param templates the prompt templates saved with the model ({@code model}: the base model's,
   *     else {@link PromptTemplates#SIMPLE_7})
   * @param evalSet held-out labelled images, if any
   * @param resume whether to continue from the newest checkpoint
   */
  record Options(
      Path store,
      Path captions,
      TextInit init,
      TrainerConfig config,
      OptionalInt warmupSteps,
      TemplateChoice templates,
      Optional<Path> evalSet,
      boolean resume) {
    Options {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(captions, "captions");
      Objects.requireNonNull(init, "init");
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(warmupSteps, "warmupSteps");
      Objects.requireNonNull(templates, "templates");
      Objects.requireNonNull(evalSet, "evalSet");
    }
  }

  /**
   * What came out.
   *
   * @param training steps, final loss, calibration and model directory
   * @param config the configuration the run used
   * @param pairs training images
   * @param resumedFrom the checkpoint the run continued, if it did
   * @param lastEvaluation the metrics of the last evaluation (keys as in the metrics log, e.g.
   *     {@code evalTop1}), when there was an evaluation set
   * @param seconds wall time of the run
   */
  record Result(
      TrainingResult training,
      TrainerConfig config,
      int pairs,
      Optional<Path> resumedFrom,
      Optional<MetricsLog.EvaluationPoint> lastEvaluation,
      double seconds) {}

  @Override
  public Integer call() throws IOException {
    TrainerConfig.Builder b =
        TrainerConfig.builder(out)
            .loss(loss)
            .batchSize(batchSize)
            .learningRate(learningRate)
            .weightDecay(weightDecay)
            .gradientClipNorm(gradientClip)
            .temperature(temperature, maxTemperature)
            .temperatureLearningRateFactor(temperatureLrFactor)
            .initialBias(bias)
            .imageHead(imageHead)
            .lossChunkSize(lossChunk)
            .textTraining(textTraining)
            .seed(seed)
            .checkpointEvery(checkpointEvery)
            .evalEvery(evalEvery);
    TrainerConfig config;
    try {
      if (length != null && length.steps != null) {
        b.length(TrainingLength.steps(length.steps));
      } else {
        b.length(
            TrainingLength.epochs(length != null && length.epochs != null ? length.epochs : 5));
      }
      config = b.build();
    } catch (IllegalArgumentException e) {
      // Out-of-range option values are usage errors; the message names each one and its rule.
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Options options =
        new Options(
            store,
            captions,
            init,
            config,
            warmupSteps == null ? OptionalInt.empty() : OptionalInt.of(warmupSteps),
            templates,
            Optional.ofNullable(evalSet),
            resume);
    Result result;
    ShutdownGuard guard = ShutdownGuard.register();
    try {
      try (LitModel m = model.load(context)) {
        result = run(options, m, common.progress(context));
      }
    } catch (TrainingInterruptedException e) {
      context
          .err()
          .println(
              "lit train: stopped after step "
                  + e.completedSteps()
                  + " of "
                  + e.totalSteps()
                  + (e.checkpoint().isPresent()
                      ? "; run the same command with --resume to continue"
                      : "; there is nothing to resume from, run the command again"));
      context.err().flush();
      return Lit.INTERRUPTED;
    } finally {
      // Only now, with the model closed and the stop reported, may a shutdown in progress end.
      guard.close();
    }
    if (common.json) {
      Json.print(context.out(), toJson(result));
    } else {
      print(result, context.out());
    }
    return Lit.OK;
  }

  /**
   * Trains and writes the run directory. The pairs are streamed from the memory-mapped store and
   * the captions file ({@link StoredPairs}, with its caption index written beside the captions
   * file), except for a whitened model, whose pairs are whitened in memory.
   *
   * @param base the model whose image tower built the store (directly or inside its whitening) and
   *     whose text tower {@link TextInit#MODEL} continues; borrowed
   * @throws CliException if the store does not match the image tower, {@code --resume} finds no
   *     checkpoint, or the run directory holds checkpoints and {@code --resume} is not given
   * @throws IllegalArgumentException if the captions do not cover the store, the batch size exceeds
   *     the data, or a checkpoint was written with other settings (named by the library)
   * @throws IOException if reading or writing fails
   */
  static Result run(Options options, LitModel base, ProgressListener progress) throws IOException {
    long start = System.nanoTime();
    ImageTower imageTower = base.imageTower();
    StoreSpace.Match match = StoreSpace.match(options.store(), imageTower);
    try (EmbeddingStore s = EmbeddingStore.open(options.store(), match.storeTower())) {
      if (match.whitening().isEmpty()) {
        // Streamed from the memory-mapped store: heap use independent of the store's size.
        try (StoredPairs pairs = StoredPairs.open(s, options.captions())) {
          return run(options, base, progress, pairs, start);
        }
      }
      // A whitened model's pairs are whitened on the heap (the store holds the inner tower's).
      return run(
          options,
          base,
          progress,
          match.toModelSpace(PairedEmbeddings.fromStore(s, options.captions())),
          start);
    }
  }

  private static Result run(
      Options options, LitModel base, ProgressListener progress, TrainingPairs pairs, long start)
      throws IOException {
    ImageTower imageTower = base.imageTower();
    TrainerConfig config = options.config();
    int steps = config.totalSteps(pairs.size());
    config =
        config.toBuilder()
            .warmupSteps(options.warmupSteps().orElse(Math.max(1, steps / 20)))
            .build();
    Optional<Path> latest =
        PyTorchContrastiveTrainer.latestCheckpoint(config.checkpointDirectory());
    if (options.resume() && latest.isEmpty()) {
      throw new CliException(
          "--resume: there is no checkpoint in "
              + config.checkpointDirectory()
              + " to continue from; run without --resume to start the run");
    }
    if (!options.resume() && latest.isPresent()) {
      throw new CliException(
          config.outputDirectory()
              + " (--out) holds checkpoints of an earlier run (newest: "
              + latest.get().getFileName()
              + "); add --resume to continue it, or choose a new --out");
    }
    PromptTemplates templates =
        options.templates().orElse(base.promptTemplates().orElse(PromptTemplates.SIMPLE_7));
    EvaluationData evaluation = EvaluationData.NONE;
    if (options.evalSet().isPresent()) {
      EvalSet.Embedded set =
          EvalSet.read(options.evalSet().get(), "--eval-set").embed(imageTower, progress);
      evaluation = new EvaluationData(List.of(set.named(templates)), set.namedRetrieval());
    }
    TransformerTextTower minilm = null;
    TransformerTextTower text;
    if (options.init() == TextInit.MINILM) {
      minilm = AllMiniLmL6V2.loadTower(imageTower.dimension());
      text = minilm;
    } else if (base.textTower() instanceof TransformerTextTower t) {
      text = t;
    } else {
      throw new CliException(
          "--init model: the model's text tower is a "
              + base.textTower().getClass().getSimpleName()
              + ", which cannot be trained; use --init minilm");
    }
    try {
      PyTorchContrastiveTrainer.Builder builder =
          PyTorchContrastiveTrainer.builder(text, imageTower, config)
              .evaluation(evaluation)
              .promptTemplates(templates)
              .progress(progress);
      if (options.resume()) {
        builder.resumeFrom(latest.get());
      }
      TrainingResult result;
      try (PyTorchContrastiveTrainer trainer = builder.build()) {
        result = trainer.train(pairs);
      }
      List<MetricsLog.EvaluationPoint> evaluations =
          MetricsLog.read(config.metricsFile()).evaluations();
      return new Result(
          result,
          config,
          pairs.size(),
          options.resume() ? latest : Optional.empty(),
          evaluations.isEmpty()
              ? Optional.empty()
              : Optional.of(evaluations.get(evaluations.size() - 1)),
          (System.nanoTime() - start) / 1e9);
    } finally {
      if (minilm != null) {
        minilm.close();
      }
    }
  }

  /** Prints what was trained and where everything is. */
  static void print(Result r, PrintStream out) {
    TrainingResult t = r.training();
    out.printf(
        Locale.ROOT,
        "trained %d steps on %d pairs in %.1f s%s: final loss %.4f, temperature %.2f%n",
        t.steps(),
        r.pairs(),
        r.seconds(),
        r.resumedFrom().map(p -> " (resumed from " + p.getFileName() + ")").orElse(""),
        t.finalLoss(),
        t.calibration().temperature());
    r.lastEvaluation().ifPresent(e -> printEvaluation(e, out));
    out.println("model:       " + t.modelDirectory());
    out.println("curves:      " + r.config().plotFile());
    out.println("metrics:     " + r.config().metricsFile());
    out.println("checkpoints: " + r.config().checkpointDirectory());
    out.flush();
  }

  /** Prints the headline numbers of the last evaluation on {@code --eval-set}. */
  private static void printEvaluation(MetricsLog.EvaluationPoint e, PrintStream out) {
    Map<String, Double> v = e.values();
    String set = EvalSet.NAME;
    out.printf(
        Locale.ROOT,
        "eval at step %d: top-1 %.3f  top-5 %.3f  balanced top-1 %.3f%n",
        e.step(),
        v.get(set + "Top1"),
        v.get(set + "Top5"),
        v.get(set + "BalancedTop1"));
    if (v.containsKey("imageToTextR1")) {
      out.printf(
          Locale.ROOT,
          "  image->text R@1/5/10 %.3f/%.3f/%.3f  text->image R@1/5/10 %.3f/%.3f/%.3f%n",
          v.get("imageToTextR1"),
          v.get("imageToTextR5"),
          v.get("imageToTextR10"),
          v.get("textToImageR1"),
          v.get("textToImageR5"),
          v.get("textToImageR10"));
    }
  }

  /** The {@code --json} shape; see the README. */
  static JsonObject toJson(Result r) {
    TrainingResult t = r.training();
    JsonObject o = new JsonObject();
    o.addProperty("steps", t.steps());
    o.addProperty("pairs", r.pairs());
    o.addProperty("finalLoss", t.finalLoss());
    o.addProperty("loss", t.calibration().loss().name().toLowerCase(Locale.ROOT));
    o.addProperty("temperature", t.calibration().temperature());
    o.addProperty("bias", t.calibration().bias());
    o.addProperty("seconds", r.seconds());
    r.resumedFrom().ifPresent(p -> o.addProperty("resumedFrom", p.toString()));
    o.addProperty("model", t.modelDirectory().toString());
    o.addProperty("curves", r.config().plotFile().toString());
    o.addProperty("metrics", r.config().metricsFile().toString());
    o.addProperty("checkpoints", r.config().checkpointDirectory().toString());
    r.lastEvaluation()
        .ifPresent(
            e -> {
              JsonObject j = new JsonObject();
              j.addProperty("step", e.step());
              new TreeMap<>(e.values()).forEach(j::addProperty);
              o.add("evaluation", j);
            });
    return o;
  }
}
