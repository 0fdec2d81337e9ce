package dev.lit4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.store.StoreBuildSummary;
import dev.lit4j.store.StoreDtype;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lit embed}: computes the locked image tower's embeddings of many images, once. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Embed images into an embedding store (resumable).",
    description = {
      "Compute the image embeddings of a directory tree or a manifest with the model's locked"
          + " image tower and write them as an embedding store (embeddings.npy, index.jsonl,"
          + " rejects.jsonl, store.json), for lit search and lit train.",
      "Resumable: run the same command again after a crash or Ctrl-C and it continues after the"
          + " last committed batch. Images that cannot be read are skipped and listed at the end"
          + " (and in STORE/rejects.jsonl); the exit code stays 0 unless no image could be"
          + " embedded.",
      "A DIR is searched at any depth for .png, .jpg, .jpeg, .gif, .bmp and .webp files; each"
          + " image's id is its path relative to DIR. A MANIFEST is a .csv with a header naming a"
          + " path column (and optionally id) or a .jsonl of {\"path\": …, \"id\": …}; relative"
          + " paths resolve against its directory."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit embed lit-examples/samples --out samples.store",
      "  lit embed images.csv --out store --dtype float16 --json"
    })
final class EmbedCommand implements Callable<Integer>, Subcommand {
  private final CliContext context;

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MANIFEST|DIR",
      description = "A directory of images, or a manifest (.csv or .jsonl).")
  private Path source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "STORE",
      description = "The store directory: new, empty, or a store of the same images to resume.")
  private Path out;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "64",
      description = "Images per image-tower call (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--dtype",
      paramLabel = "TYPE",
      defaultValue = "float32",
      description = "float32 or float16 (half the size) (default: ${DEFAULT-VALUE}).")
  private StoreDtype dtype;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "178956970",
      description =
          "Refuse images whose header declares more pixels, without decoding them (default:"
              + " ${DEFAULT-VALUE}, Pillow's limit).")
  private long maxPixels;

  @Mixin private ModelOption model;

  @Mixin private CommonOptions common;

  EmbedCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * What to embed.
   *
   * @param source a directory of images or a manifest file
   * @param store the store directory
   * @param batchSize images per tower call
   * @param dtype the stored element type
   * @param maxPixels the largest image, in declared pixels
   */
  record Options(Path source, Path store, int batchSize, StoreDtype dtype, long maxPixels) {
    Options {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(dtype, "dtype");
    }
  }

  /**
   * An image that got no embedding: a line of {@code rejects.jsonl}.
   *
   * @param id its id
   * @param path its path as written in the manifest
   * @param reason e.g. {@code MISSING}, {@code CORRUPT}
   * @param detail what went wrong
   */
  record Reject(String id, String path, String reason, String detail) {}

  /**
   * What came out.
   *
   * @param store the store directory
   * @param model the model's directory or {@code "default"}
   * @param tower the name of the image tower that computed the embeddings
   * @param summary counts and time
   * @param rejects every image without an embedding, in manifest order
   */
  record Result(
      Path store, String model, String tower, StoreBuildSummary summary, List<Reject> rejects) {
    Result {
      rejects = List.copyOf(rejects);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) {
      throw new ParameterException(
          spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
    }
    if (maxPixels < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-pixels must be at least 1, got " + maxPixels);
    }
    Options options = new Options(source, out, batchSize, dtype, maxPixels);
    Result result;
    try (LitModel m = model.load(context)) {
      result = run(options, m.imageTower(), model.describe(), common.progress(context));
    }
    if (common.json) {
      Json.print(context.out(), toJson(result));
    } else {
      print(result, context.out());
    }
    return Lit.OK;
  }

  /**
   * Builds (or resumes, or verifies) the store of {@code options.source()} with {@code tower}.
   *
   * @param modelName how the model is named in the result
   * @throws CliException if the source is neither a directory nor a file, or a directory holds no
   *     image
   * @throws IllegalArgumentException if the manifest is malformed or the store directory holds
   *     something else (named by {@link EmbeddingStoreBuilder})
   * @throws IllegalStateException if no image could be embedded, or another build writes the store
   * @throws IOException if reading or writing fails
   */
  static Result run(Options options, ImageTower tower, String modelName, ProgressListener progress)
      throws IOException {
    Path source = options.source();
    Path manifest;
    boolean temporary;
    if (Files.isDirectory(source)) {
      manifest = DirectoryManifest.write(source);
      temporary = true;
    } else if (Files.isRegularFile(source)) {
      manifest = source;
      temporary = false;
    } else {
      throw new CliException(
          source
              + ": no such file or directory; give a directory of images or a manifest (.csv"
              + " or .jsonl)");
    }
    StoreBuildSummary summary;
    try {
      summary =
          EmbeddingStoreBuilder.builder(manifest, options.store(), tower)
              .batchSize(options.batchSize())
              .dtype(options.dtype())
              .maxPixels(options.maxPixels())
              .progress(progress)
              .build();
    } finally {
      if (temporary) {
        Files.deleteIfExists(manifest);
      }
    }
    return new Result(
        options.store(),
        modelName,
        tower.identity().name(),
        summary,
        readRejects(options.store().resolve("rejects.jsonl")));
  }

  /** Reads {@code rejects.jsonl} (format: {@link dev.lit4j.store}); empty if absent. */
  static List<Reject> readRejects(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<Reject> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      out.add(
          new Reject(
              o.get("id").getAsString(),
              o.get("path").getAsString(),
              o.get("reason").getAsString(),
              o.get("detail").getAsString()));
    }
    return out;
  }

  /** Prints the summary and every reject. */
  static void print(Result result, PrintStream out) {
    StoreBuildSummary s = result.summary();
    out.printf(
        Locale.ROOT,
        "embedded %d of %d images into %s (%s, %s) in %.1f s%n",
        s.embedded(),
        s.total(),
        result.store(),
        result.model(),
        result.tower(),
        s.seconds());
    if (!result.rejects().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "rejected %d (also in %s):%n",
          result.rejects().size(),
          result.store().resolve("rejects.jsonl"));
      for (Reject r : result.rejects()) {
        out.println("  " + r.path() + "  " + r.reason() + ": " + r.detail());
      }
    }
    out.flush();
  }

  /** The {@code --json} shape; see the README. */
  static JsonObject toJson(Result result) {
    JsonObject o = new JsonObject();
    o.addProperty("store", result.store().toString());
    o.addProperty("model", result.model());
    o.addProperty("tower", result.tower());
    o.addProperty("total", result.summary().total());
    o.addProperty("embedded", result.summary().embedded());
    o.addProperty("rejected", result.summary().rejected());
    o.addProperty("seconds", result.summary().seconds());
    JsonArray rejects = new JsonArray();
    for (Reject r : result.rejects()) {
      JsonObject j = new JsonObject();
      j.addProperty("id", r.id());
      j.addProperty("path", r.path());
      j.addProperty("reason", r.reason());
      j.addProperty("detail", r.detail());
      rejects.add(j);
    }
    o.add("rejects", rejects);
    return o;
  }
}
