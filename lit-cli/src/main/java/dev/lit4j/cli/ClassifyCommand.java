package dev.lit4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import dev.lit4j.model.LitModel;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lit classify}: zero-shot classification of image files among labels. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Classify images among any labels, zero-shot.",
    description = {
      "Classify images among any labels, zero-shot: each label becomes prompts (--templates),"
          + " the text tower embeds them, and each image gets the labels whose embeddings are"
          + " nearest to its own, with calibrated scores.",
      "Prints one line per image: the path, then the --top labels with their scores, best first."
          + " An image that cannot be read gets an error on standard error instead; the others are"
          + " still classified, and the exit code is then 1."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit classify --labels dog,cat,house,car,sneaker,bag lit-examples/samples/*.png",
      "  lit classify --labels-file labels.txt --top 1 --json photos/"
    })
final class ClassifyCommand implements Callable<Integer>, Subcommand {
  /** Images decoded and embedded per image-tower call. */
  private static final int BATCH = 16;

  private final CliContext context;

  @Spec private CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private LabelSource labelSource;

  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "3",
      description = "How many labels to print per image (default: ${DEFAULT-VALUE}).")
  private int top;

  @Option(
      names = "--templates",
      paramLabel = "SET",
      defaultValue = "model",
      converter = TemplateChoice.Converter.class,
      description =
          "Prompt templates: model (the model's own, else simple), simple (7), imagenet80 (CLIP's"
              + " 80), single ('a photo of a {}.') or a FILE with one template per line, each"
              + " with {} (default: ${DEFAULT-VALUE}).")
  private TemplateChoice templates;

  @Mixin private ModelOption model;

  @Mixin private CommonOptions common;

  @Parameters(
      paramLabel = "IMAGE",
      arity = "1..*",
      description =
          "Image files (PNG, JPEG, GIF, BMP, WebP); a directory stands for the images in it.")
  private List<Path> images;

  /** Where the labels come from: exactly one of the two options. */
  static final class LabelSource {
    @Option(
        names = "--labels",
        paramLabel = "LABEL",
        split = ",",
        required = true,
        description = "The labels, comma-separated, e.g. dog,cat,car.")
    List<String> labels;

    @Option(
        names = "--labels-file",
        paramLabel = "FILE",
        required = true,
        description =
            "A file with one label per line (blank lines and lines starting with # skipped).")
    Path file;

    List<String> read() {
      if (labels != null) {
        return labels.stream().map(String::strip).toList();
      }
      try {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
      } catch (IOException e) {
        throw new CliException("cannot read the labels (--labels-file): " + Errors.describe(e), e);
      }
    }
  }

  ClassifyCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * What to classify.
   *
   * @param labels the class labels, in order
   * @param images the image files, as given
   * @param top how many labels to keep per image
   * @param templates the prompt templates
   */
  record Options(List<String> labels, List<Path> images, int top, TemplateChoice templates) {
    Options {
      labels = List.copyOf(labels);
      images = List.copyOf(images);
      Objects.requireNonNull(templates, "templates");
    }
  }

  /**
   * One image's outcome.
   *
   * @param image the file, as given
   * @param top its best labels, best first; empty when it could not be read
   * @param error why it could not be read
   */
  record ImageResult(Path image, List<ClassScore> top, Optional<String> error) {
    ImageResult {
      top = List.copyOf(top);
    }
  }

  /**
   * What came out.
   *
   * @param model the model's directory or {@code "default"}
   * @param labels the canonical labels
   * @param templates the templates' name
   * @param images one result per image, in the order given
   */
  record Result(String model, List<String> labels, String templates, List<ImageResult> images) {
    /** Returns how many images could not be read. */
    long failures() {
      return images.stream().filter(i -> i.error().isPresent()).count();
    }
  }

  @Override
  public Integer call() throws IOException {
    if (top < 1) {
      throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
    }
    List<String> labels = labelSource.read();
    if (labels.isEmpty()) {
      throw new CliException(
          labelSource.file + " (--labels-file) holds no label; write one per line");
    }
    Options options = new Options(labels, ImageInputs.expand(images), top, templates);
    if (options.images().isEmpty()) {
      throw new CliException(
          "no image files in " + images + "; give image files or a directory holding some");
    }
    Result result;
    try (LitModel m = model.load(context)) {
      result = run(options, m, model.describe(), common.progress(context));
    }
    for (ImageResult r : result.images()) {
      r.error().ifPresent(e -> context.err().println("lit classify: " + e));
    }
    if (common.json) {
      Json.print(context.out(), toJson(result));
    } else {
      print(result, context.out());
    }
    return result.failures() == 0 ? 0 : 1;
  }

  /**
   * Classifies the images with {@code model}; an image that cannot be read gets an error and the
   * others are still classified.
   *
   * @param modelName how the model is named in the result
   * @throws IllegalArgumentException if the labels are empty, blank, duplicated or cannot be told
   *     apart by the text tower (named by {@link ZeroShotClassifier})
   */
  static Result run(Options options, LitModel model, String modelName, ProgressListener progress) {
    ZeroShotClassifier.Builder builder = ZeroShotClassifier.builder(model, options.labels());
    options.templates().templates().ifPresent(builder::templates);
    ZeroShotClassifier classifier = builder.build();
    List<Path> files = options.images();
    List<ImageResult> out = new ArrayList<>(files.size());
    ProgressTracker tracker =
        ProgressTracker.start("classifying", "images", files.size(), progress);
    try {
      for (int from = 0; from < files.size(); from += BATCH) {
        List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
        List<BufferedImage> decoded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : batch) {
          try {
            decoded.add(ImageFiles.read(file, EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE));
            errors.add(null);
          } catch (ImageReadException e) {
            decoded.add(null);
            errors.add(e.getMessage());
          }
        }
        List<BufferedImage> readable = decoded.stream().filter(Objects::nonNull).toList();
        List<ClassScores> scores =
            readable.isEmpty() ? List.of() : classifier.classifyAll(readable);
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
          if (errors.get(i) != null) {
            out.add(new ImageResult(batch.get(i), List.of(), Optional.of(errors.get(i))));
          } else {
            out.add(
                new ImageResult(
                    batch.get(i), scores.get(next++).top(options.top()), Optional.empty()));
          }
        }
        tracker.advance(batch.size());
      }
    } finally {
      tracker.finish();
    }
    return new Result(modelName, classifier.labels(), options.templates().name(), out);
  }

  /** Prints one aligned line per classified image: the path, then label and score pairs. */
  static void print(Result result, PrintStream out) {
    int pathWidth = 0;
    int labelWidth = 0;
    for (ImageResult r : result.images()) {
      if (r.error().isEmpty()) {
        pathWidth = Math.max(pathWidth, r.image().toString().length());
        for (ClassScore c : r.top()) {
          labelWidth = Math.max(labelWidth, c.label().length());
        }
      }
    }
    for (ImageResult r : result.images()) {
      if (r.error().isPresent()) {
        continue;
      }
      StringBuilder line = new StringBuilder(pad(r.image().toString(), pathWidth));
      for (ClassScore c : r.top()) {
        line.append("  ").append(pad(c.label(), labelWidth));
        line.append(String.format(Locale.ROOT, " %.2f", c.score()));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** The {@code --json} shape; see the README. */
  static JsonObject toJson(Result result) {
    JsonObject o = new JsonObject();
    o.addProperty("model", result.model());
    o.add("labels", Json.strings(result.labels()));
    o.addProperty("templates", result.templates());
    JsonArray images = new JsonArray();
    for (ImageResult r : result.images()) {
      JsonObject i = new JsonObject();
      i.addProperty("image", r.image().toString());
      if (r.error().isPresent()) {
        i.addProperty("error", r.error().get());
      } else {
        JsonArray top = new JsonArray();
        for (ClassScore c : r.top()) {
          JsonObject s = new JsonObject();
          s.addProperty("label", c.label());
          s.addProperty("score", c.score());
          s.addProperty("cosine", c.cosine());
          top.add(s);
        }
        i.add("top", top);
      }
      images.add(i);
    }
    o.add("images", images);
    return o;
  }
}
