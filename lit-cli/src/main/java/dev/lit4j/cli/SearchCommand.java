package dev.lit4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.model.LitModel;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.retrieval.Hit;
import dev.lit4j.retrieval.RetrievalIndex;
import dev.lit4j.store.StoreDtype;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lit search}: the images of an embedding store nearest to a text. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Search the images of an embedding store by text.",
    description = {
      "Search the images of an embedding store by text: the model's text tower embeds each"
          + " query, and the images whose embeddings have the highest cosine similarity to it are"
          + " printed, best first, as rank, score (the cosine) and id.",
      "With --images DIR, a store that does not exist yet (or whose build was interrupted) is"
          + " first built from the images in DIR, as by lit embed DIR --out STORE; an existing"
          + " store is only loaded. Paths are then printed as DIR/id.",
      "A store built with the locked tower inside the model's whitened image tower (such as the"
          + " stores in lit-examples/data, under the default model) is whitened on the fly."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  lit search --query \"a guitar\" --query \"a frog\" \\",
      "      --store lit-examples/data/tuxpaint/store",
      "  lit search --query \"a dog\" --images lit-examples/samples \\",
      "      --store samples.store --top 2"
    })
final class SearchCommand implements Callable<Integer>, Subcommand {
  private final CliContext context;

  @Spec private CommandSpec spec;

  @Option(
      names = "--query",
      required = true,
      paramLabel = "TEXT",
      description = "The text to search for; repeat for several queries.")
  private List<String> queries;

  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description = "The embedding store to search (written by lit embed).")
  private Path store;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "The images the store holds; embedded into STORE first if it is not built yet.")
  private Path images;

  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "5",
      description = "How many images to print per query (default: ${DEFAULT-VALUE}).")
  private int top;

  @Mixin private ModelOption model;

  @Mixin private CommonOptions common;

  SearchCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * What to search.
   *
   * @param queries the query texts
   * @param store the store directory
   * @param images the directory the store's images come from, if given
   * @param top hits per query
   */
  record Options(List<String> queries, Path store, Optional<Path> images, int top) {
    Options {
      queries = List.copyOf(queries);
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(images, "images");
    }
  }

  /**
   * One image found.
   *
   * @param rank 1 for the best
   * @param score the cosine similarity of query and image embeddings
   * @param id the image's id in the store
   * @param path {@code DIR/id} when {@code --images DIR} was given
   */
  record Found(int rank, double score, String id, Optional<Path> path) {}

  /**
   * The hits of one query.
   *
   * @param query the text
   * @param hits best first
   */
  record QueryHits(String query, List<Found> hits) {
    QueryHits {
      hits = List.copyOf(hits);
    }
  }

  /**
   * What came out.
   *
   * @param store the store directory
   * @param model the model's directory or {@code "default"}
   * @param size images in the store
   * @param embedded what embedding the images did, when the store had to be built first
   * @param queries one entry per query, in order
   */
  record Result(
      Path store,
      String model,
      int size,
      Optional<EmbedCommand.Result> embedded,
      List<QueryHits> queries) {
    Result {
      queries = List.copyOf(queries);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (top < 1) {
      throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
    }
    Options options = new Options(queries, store, Optional.ofNullable(images), top);
    Result result;
    try (LitModel m = model.load(context)) {
      result = run(options, m, model.describe(), common.progress(context));
    }
    if (common.json) {
      Json.print(context.out(), toJson(result));
    } else {
      print(result, context.out());
    }
    return Lit.OK;
  }

  /**
   * Builds the store from the images if needed, then searches it.
   *
   * @param modelName how the model is named in the result
   * @throws CliException if the store is missing (and no images were given), incomplete, or of
   *     another image tower
   * @throws IOException if the store or images cannot be read
   */
  static Result run(Options options, LitModel model, String modelName, ProgressListener progress)
      throws IOException {
    Optional<EmbedCommand.Result> embedded = Optional.empty();
    if (options.images().isPresent()) {
      boolean complete =
          StoreSpace.info(options.store()).map(StoreSpace.Info::completed).orElse(false);
      if (!complete) {
        embedded =
            Optional.of(
                EmbedCommand.run(
                    new EmbedCommand.Options(
                        options.images().get(),
                        options.store(),
                        64,
                        StoreDtype.FLOAT32,
                        ImageFiles.DEFAULT_MAX_PIXELS),
                    model.imageTower(),
                    modelName,
                    progress));
      }
    }
    StoreSpace.Opened opened = StoreSpace.open(options.store(), model.imageTower());
    RetrievalIndex index = RetrievalIndex.of(opened.images());
    EmbeddingMatrix queries = model.textTower().embedAll(options.queries());
    List<List<Hit>> hits = index.searchAll(queries, options.top());
    List<QueryHits> out = new ArrayList<>();
    for (int q = 0; q < options.queries().size(); q++) {
      List<Found> found = new ArrayList<>();
      for (Hit h : hits.get(q)) {
        String id = opened.ids().get(h.index());
        found.add(
            new Found(
                found.size() + 1, h.score(), id, options.images().map(dir -> dir.resolve(id))));
      }
      out.add(new QueryHits(options.queries().get(q), found));
    }
    return new Result(options.store(), modelName, opened.ids().size(), embedded, out);
  }

  /** Prints each query, then one line per hit: rank, score and id (or path). */
  static void print(Result result, PrintStream out) {
    result
        .embedded()
        .ifPresent(
            e ->
                out.printf(
                    Locale.ROOT,
                    "embedded %d of %d images into %s first (%d rejected)%n",
                    e.summary().embedded(),
                    e.summary().total(),
                    e.store(),
                    e.summary().rejected()));
    boolean first = true;
    for (QueryHits q : result.queries()) {
      if (!first) {
        out.println();
      }
      first = false;
      out.println(q.query());
      for (Found f : q.hits()) {
        out.printf(
            Locale.ROOT,
            "%3d  %.3f  %s%n",
            f.rank(),
            f.score(),
            f.path().map(Path::toString).orElse(f.id()));
      }
    }
    out.flush();
  }

  /** The {@code --json} shape; see the README. */
  static JsonObject toJson(Result result) {
    JsonObject o = new JsonObject();
    o.addProperty("store", result.store().toString());
    o.addProperty("model", result.model());
    o.addProperty("size", result.size());
    result.embedded().ifPresent(e -> o.add("embedded", EmbedCommand.toJson(e)));
    JsonArray queries = new JsonArray();
    for (QueryHits q : result.queries()) {
      JsonObject j = new JsonObject();
      j.addProperty("query", q.query());
      JsonArray hits = new JsonArray();
      for (Found f : q.hits()) {
        JsonObject h = new JsonObject();
        h.addProperty("rank", f.rank());
        h.addProperty("score", f.score());
        h.addProperty("id", f.id());
        f.path().ifPresent(p -> h.addProperty("path", p.toString()));
        hits.add(h);
      }
      j.add("hits", hits);
      queries.add(j);
    }
    o.add("queries", queries);
    return o;
  }
}
