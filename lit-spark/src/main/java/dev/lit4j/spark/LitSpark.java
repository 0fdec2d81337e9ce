package dev.lit4j.spark;

import dev.lit4j.model.LitModel;
import dev.lit4j.model.TowerIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: {@code main} parses a command and its options, and {@link
 * #run} runs it in the given session and returns a one-line result.
 *
 * <pre>
 * embed    --manifest URI --embeddings URI --errors URI [--tower SPEC] [--batch-size N]
 *          [--partitions N]
 * classify --embeddings URI --labels a,b,c --output URI [--model default|DIR] [--top-k K]
 * classify --manifest URI --errors URI --labels a,b,c --output URI [--model …] [--top-k K]
 *          [--partitions N]
 * search   --embeddings URI --queries FILE --output URI [--model default|DIR] [--top-k K]
 * export   --embeddings URI [--errors URI] --store DIR
 * import   --store DIR --embeddings URI [--tower SPEC]
 * </pre>
 *
 * <p>{@code --tower} is a {@link TowerSource#parse} spec ({@code mobilenet_v2}, the default for
 * {@code embed}; {@code default}; {@code model:DIR}; {@code factory:CLASS}). {@code --model} is the
 * LiT model whose text tower embeds labels or queries (default: the default model, {@code
 * lit-default-model} on the class path); embeddings must come from its image tower, and {@code
 * classify --manifest} embeds with it. {@code --queries} is a local UTF-8 file, one query per line.
 * Outputs are Parquet and must not exist. See the README's "Scaling out".
 *
 * <p>Not thread-safe; one command per call.
 */
public final class LitSpark {
  private static final Set<String> COMMANDS =
      Set.of("embed", "classify", "search", "export", "import");

  private LitSpark() {}

  /**
   * Runs one command with the session {@code spark-submit} configured, prints its one-line result
   * and stops the session; exits 2 on a usage error, printing it to standard error.
   *
   * @param args the command, then {@code --name value} pairs (see the class comment)
   * @throws IOException if a local file (queries, store, model) cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Command command;
    try {
      command = Command.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("lit-spark: " + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSession.builder().appName("lit4j " + command.name()).getOrCreate();
    try {
      System.out.println(run(spark, command));
    } finally {
      spark.stop();
    }
  }

  /**
   * Runs one command line (the command, then {@code --name value} pairs) in {@code spark}.
   *
   * @param spark the session to run in; left open
   * @param args the command, then {@code --name value} pairs (see the class comment)
   * @return a one-line description of what was written
   * @throws IllegalArgumentException if the command is unknown, or an option is missing or invalid
   *     (it is named)
   * @throws IOException if a local file (queries, store) cannot be read or written
   */
  public static String run(SparkSession spark, String... args) throws IOException {
    return run(spark, Command.parse(args));
  }

  private static String run(SparkSession spark, Command c) throws IOException {
    long started = System.nanoTime();
    switch (c.name()) {
      case "embed" -> {
        EmbeddingOptions options =
            EmbeddingOptions.of(TowerSource.parse(c.get("tower", "mobilenet_v2")))
                .withBatchSize(c.getInt("batch-size", EmbeddingOptions.DEFAULT_BATCH_SIZE));
        String manifest = c.required("manifest");
        Dataset<Row> rows = partitioned(c, EmbeddingJob.readManifest(spark, manifest));
        try (EmbeddedImages images =
            EmbeddingJob.embed(rows, EmbeddingJob.parentOf(manifest), options)) {
          EmbeddingSummary s =
              EmbeddingJob.write(images, c.required("embeddings"), c.required("errors"), started);
          return String.format(
              "embedded %d images, %d errors, in %.1f s (%.1f images/s)",
              s.embedded(), s.rejected(), s.seconds(), s.imagesPerSecond());
        }
      }
      case "classify" -> {
        List<String> labels = Arrays.asList(c.required("labels").split(","));
        int k = c.getInt("top-k", 5);
        String model = c.get("model", "default");
        ClassMatrix classes;
        try (LitModel m = loadModel(model)) {
          classes = ClassMatrix.of(m, labels);
        }
        if (c.has("manifest")) {
          TowerSource tower =
              model.equals("default")
                  ? TowerSource.defaultModel()
                  : TowerSource.modelDirectory(Path.of(model));
          String manifest = c.required("manifest");
          Dataset<Row> rows = partitioned(c, EmbeddingJob.readManifest(spark, manifest));
          try (ClassificationJob.Classified out =
              ClassificationJob.classifyImages(
                  rows, EmbeddingJob.parentOf(manifest), EmbeddingOptions.of(tower), classes, k)) {
            out.predictions().write().parquet(c.required("output"));
            out.errors().write().parquet(c.required("errors"));
            return "classified "
                + out.predictions().count()
                + " images into "
                + labels.size()
                + " classes, "
                + out.errors().count()
                + " errors";
          }
        }
        Dataset<Row> predictions =
            ClassificationJob.classify(spark.read().parquet(c.required("embeddings")), classes, k);
        predictions.write().parquet(c.required("output"));
        return "classified into " + labels.size() + " classes: " + c.required("output");
      }
      case "search" -> {
        List<String> texts = new ArrayList<>();
        for (String line :
            Files.readAllLines(Path.of(c.required("queries")), StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            texts.add(line.strip());
          }
        }
        QueryMatrix queries;
        try (LitModel m = loadModel(c.get("model", "default"))) {
          queries = QueryMatrix.of(m, texts);
        }
        SearchJob.search(
                spark.read().parquet(c.required("embeddings")), queries, c.getInt("top-k", 10))
            .write()
            .parquet(c.required("output"));
        return "searched " + texts.size() + " queries: " + c.required("output");
      }
      case "export" -> {
        long rows =
            StoreTransfer.toStore(
                spark,
                c.required("embeddings"),
                c.get("errors", null),
                Path.of(c.required("store")));
        return "exported " + rows + " embeddings to " + c.required("store");
      }
      case "import" -> {
        TowerIdentity expected =
            ExecutorTowers.get(TowerSource.parse(c.get("tower", "mobilenet_v2"))).identity();
        long rows =
            StoreTransfer.fromStore(
                spark, Path.of(c.required("store")), expected, c.required("embeddings"));
        return "imported " + rows + " embeddings to " + c.required("embeddings");
      }
      default -> throw new IllegalArgumentException("unknown command " + c.name());
    }
  }

  private static Dataset<Row> partitioned(Command c, Dataset<Row> rows) {
    return c.has("partitions") ? rows.repartition(c.getInt("partitions", 1)) : rows;
  }

  private static LitModel loadModel(String spec) throws IOException {
    return spec.equals("default") ? LitModel.loadDefault() : LitModel.load(Path.of(spec));
  }

  /**
   * A parsed command line: the command name and its {@code --name value} options.
   *
   * @param name one of {@code embed}, {@code classify}, {@code search}, {@code export}, {@code
   *     import}
   * @param options option values by name (without {@code --})
   */
  record Command(String name, Map<String, String> options) {
    Command {
      options = Map.copyOf(options);
    }

    /**
     * Parses {@code args}: the command, then {@code --name value} pairs.
     *
     * @throws IllegalArgumentException if the command is unknown or an option has no value
     */
    static Command parse(String... args) {
      if (args.length == 0 || !COMMANDS.contains(args[0])) {
        throw new IllegalArgumentException(
            "expected a command, one of "
                + COMMANDS.stream().sorted().toList()
                + (args.length == 0 ? "" : ", got '" + args[0] + "'"));
      }
      Map<String, String> options = new HashMap<>();
      for (int i = 1; i < args.length; i += 2) {
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException(
              "expected --name value pairs after '" + args[0] + "', got '" + args[i] + "'");
        }
        options.put(args[i].substring(2), args[i + 1]);
      }
      return new Command(args[0], options);
    }

    boolean has(String option) {
      return options.containsKey(option);
    }

    String get(String option, String fallback) {
      return options.getOrDefault(option, fallback);
    }

    String required(String option) {
      String v = options.get(option);
      if (v == null) {
        throw new IllegalArgumentException("'" + name + "' needs --" + option);
      }
      return v;
    }

    int getInt(String option, int fallback) {
      String v = options.get(option);
      if (v == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + option + " must be an integer, got '" + v + "'");
      }
    }
  }
}
