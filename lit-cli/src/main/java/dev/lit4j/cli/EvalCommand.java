package dev.lit4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ClassificationDiagnostics;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.model.LitModel;
import dev.lit4j.plot.ConfusionMatrixChart;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.retrieval.RankMetrics;
import dev.lit4j.retrieval.RetrievalMetrics;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lit eval}: zero-shot accuracy and retrieval recall of a model on labelled images. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Evaluate a model on labelled images: accuracy and recall.",
    description = {
      "Evaluate a model on labelled image files: zero-shot top-1 and top-5 accuracy among the"
          + " set's labels, with what to read them against (class-balanced top-1, chance, the"
          + " share of the most frequent label, the share of the most predicted one), and, for"
          + " the images that have a caption, image-to-text and text-to-image recall at 1, 5 and"
          + " 10.",
      "The set is a CSV with a header naming a path and a label column and optionally a caption"
          + " column, e.g. 'path,label,caption'; relative paths resolve against the CSV's"
          + " directory. Every image must be readable."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit eval --set lit-examples/samples/labels.csv",
      "  lit eval --model run1/model --set test.csv --confusion confusion.png --json"
    })
final class EvalCommand implements Callable<Integer>, Subcommand {
  private final CliContext context;

  @Option(
      names = "--set",
      required = true,
      paramLabel = "CSV",
      description = "The labelled images: path,label[,caption].")
  private Path set;

  @Option(
      names = "--templates",
      paramLabel = "SET",
      defaultValue = "model",
      converter = TemplateChoice.Converter.class,
      description =
          "Prompt templates: "
              + TemplateChoice.VALUES
              + " with one template per line (default: ${DEFAULT-VALUE}).")
  private TemplateChoice templates;

  @Option(
      names = "--confusion",
      paramLabel = "PNG",
      description = "Also draw the confusion matrix into this PNG file.")
  private Path confusion;

  @Mixin private ModelOption model;

  @Mixin private CommonOptions common;

  EvalCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * What to evaluate.
   *
   * @param set the CSV
   * @param templates the prompt templates
   * @param confusion where to draw the confusion matrix, if anywhere
   */
  record Options(Path set, TemplateChoice templates, Optional<Path> confusion) {
    Options {
      Objects.requireNonNull(set, "set");
      Objects.requireNonNull(templates, "templates");
      Objects.requireNonNull(confusion, "confusion");
    }
  }

  /**
   * What came out.
   *
   * @param model the model's directory or {@code "default"}
   * @param set the CSV
   * @param templates the templates' name
   * @param classes the labels, in class-index order
   * @param accuracy top-1 and top-5
   * @param diagnostics balanced top-1, chance, majority and most-predicted shares
   * @param retrieval recall on the captioned images, when there are some
   * @param captions how many images have a caption
   * @param confusion {@code confusion[true][predicted]} counts
   * @param confusionChart the PNG written, if asked for
   */
  record Result(
      String model,
      Path set,
      String templates,
      List<String> classes,
      ClassificationMetrics accuracy,
      ClassificationDiagnostics diagnostics,
      Optional<RetrievalMetrics> retrieval,
      int captions,
      int[][] confusion,
      Optional<Path> confusionChart) {}

  @Override
  public Integer call() throws IOException {
    Options options = new Options(set, templates, Optional.ofNullable(confusion));
    // The set is read and checked before the model is loaded: a bad CSV fails at once.
    EvalSet evalSet = EvalSet.read(options.set(), "--set");
    Result result;
    try (LitModel m = model.load(context)) {
      result = run(options, evalSet, m, model.describe(), common.progress(context));
    }
    if (common.json) {
      Json.print(context.out(), toJson(result));
    } else {
      print(result, context.out());
    }
    return Lit.OK;
  }

  /**
   * Embeds the set's images, classifies them among its labels, measures retrieval on the captioned
   * ones and draws the confusion matrix if asked.
   *
   * @param modelName how the model is named in the result
   * @throws CliException if an image cannot be read (the CSV line is named)
   * @throws IllegalArgumentException if the labels cannot be told apart by the text tower
   * @throws IOException if the confusion matrix cannot be written
   */
  static Result run(
      Options options, EvalSet set, LitModel model, String modelName, ProgressListener progress)
      throws IOException {
    EvalSet.Embedded embedded = set.embed(model.imageTower(), progress);
    ZeroShotSet zeroShot = embedded.zeroShot();
    PromptTemplates templates =
        options
            .templates()
            .templates()
            .orElse(model.promptTemplates().orElse(PromptTemplates.SIMPLE_7));
    ZeroShotClassifier classifier =
        ZeroShotClassifier.builder(model, zeroShot.classNames()).templates(templates).build();
    List<ClassScores> predictions = classifier.classifyAll(zeroShot.images());
    int[] truth = zeroShot.trueClasses();
    ClassificationMetrics accuracy = ClassificationMetrics.evaluate(predictions, truth);
    ClassificationDiagnostics diagnostics =
        ClassificationDiagnostics.evaluate(predictions, truth)
            .withClassEmbeddings(classifier.classEmbeddings());
    int k = zeroShot.classNames().size();
    int[][] confusion = new int[k][k];
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predictions.get(i).best().classIndex()]++;
    }
    Optional<PairedEmbeddings> pairs = embedded.retrieval();
    Optional<RetrievalMetrics> retrieval = pairs.map(p -> recall(model, p));
    if (options.confusion().isPresent()) {
      ConfusionMatrixChart.write(options.confusion().get(), classifier.labels(), confusion);
    }
    return new Result(
        modelName,
        options.set(),
        options.templates().name(),
        classifier.labels(),
        accuracy,
        diagnostics,
        retrieval,
        pairs.map(PairedEmbeddings::size).orElse(0),
        confusion,
        options.confusion());
  }

  private static RetrievalMetrics recall(LitModel model, PairedEmbeddings pairs) {
    List<String> texts = new ArrayList<>();
    for (List<String> c : pairs.captions()) {
      texts.add(c.get(0));
    }
    EmbeddingMatrix textEmbeddings = model.textTower().embedAll(texts);
    int[] owner = new int[texts.size()];
    for (int i = 0; i < owner.length; i++) {
      owner[i] = i;
    }
    return RetrievalMetrics.evaluate(pairs.images(), textEmbeddings, owner);
  }

  /** Prints the metrics as a two-column table. */
  static void print(Result r, PrintStream out) {
    out.println("model: " + r.model());
    out.printf(
        Locale.ROOT,
        "set:   %s (%d images, %d labels, templates %s)%n",
        r.set(),
        r.accuracy().count(),
        r.classes().size(),
        r.templates());
    out.println("zero-shot classification");
    row(out, "top-1", r.accuracy().top1());
    row(out, "top-5", r.accuracy().top5());
    row(out, "balanced top-1", r.diagnostics().balancedTop1());
    row(out, "chance", r.diagnostics().chance());
    row(out, "majority share", r.diagnostics().majorityShare());
    row(out, "most-predicted share", r.diagnostics().mostPredictedShare());
    r.retrieval()
        .ifPresent(
            m -> {
              out.printf(Locale.ROOT, "retrieval (%d captioned images)%n", r.captions());
              recallRows(out, "image->text", m.imageToText());
              recallRows(out, "text->image", m.textToImage());
            });
    r.confusionChart().ifPresent(p -> out.println("confusion matrix: " + p));
    out.flush();
  }

  private static void recallRows(PrintStream out, String direction, RankMetrics m) {
    row(out, direction + " R@1", m.recallAt1());
    row(out, direction + " R@5", m.recallAt5());
    row(out, direction + " R@10", m.recallAt10());
  }

  private static void row(PrintStream out, String metric, double value) {
    out.printf(Locale.ROOT, "  %-22s %6.3f%n", metric, value);
  }

  /** The {@code --json} shape; see the README. */
  static JsonObject toJson(Result r) {
    JsonObject o = new JsonObject();
    o.addProperty("model", r.model());
    o.addProperty("set", r.set().toString());
    o.addProperty("templates", r.templates());
    o.addProperty("images", r.accuracy().count());
    o.add("labels", Json.strings(r.classes()));
    JsonObject z = new JsonObject();
    z.addProperty("top1", r.accuracy().top1());
    z.addProperty("top5", r.accuracy().top5());
    z.addProperty("balancedTop1", r.diagnostics().balancedTop1());
    z.addProperty("chance", r.diagnostics().chance());
    z.addProperty("majorityShare", r.diagnostics().majorityShare());
    z.addProperty("mostPredictedShare", r.diagnostics().mostPredictedShare());
    r.diagnostics().meanClassCosine().ifPresent(c -> z.addProperty("meanClassCosine", c));
    o.add("zeroShot", z);
    if (r.retrieval().isPresent()) {
      JsonObject j = new JsonObject();
      j.addProperty("captions", r.captions());
      j.add("imageToText", rank(r.retrieval().get().imageToText()));
      j.add("textToImage", rank(r.retrieval().get().textToImage()));
      o.add("retrieval", j);
    }
    JsonObject c = new JsonObject();
    JsonArray rows = new JsonArray();
    for (int[] counts : r.confusion()) {
      JsonArray row = new JsonArray();
      for (int n : counts) {
        row.add(n);
      }
      rows.add(row);
    }
    c.add("counts", rows);
    r.confusionChart().ifPresent(p -> c.addProperty("png", p.toString()));
    o.add("confusion", c);
    return o;
  }

  private static JsonObject rank(RankMetrics m) {
    JsonObject o = new JsonObject();
    o.addProperty("r1", m.recallAt1());
    o.addProperty("r5", m.recallAt5());
    o.addProperty("r10", m.recallAt10());
    o.addProperty("meanRank", m.meanRank());
    o.addProperty("medianRank", m.medianRank());
    o.addProperty("queries", m.queries());
    return o;
  }
}
