package dev.lit4j.spark;

import static org.apache.spark.sql.functions.col;

import dev.lit4j.model.ImageTower;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * The embedding job: runs a locked image tower over every image of a manifest, in parallel over
 * Spark partitions, and writes the embeddings and the rows that failed as Parquet.
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().getOrCreate();
 * EmbeddingSummary s =
 *     EmbeddingJob.run(spark, "s3a://bucket/images.csv", "s3a://bucket/embeddings",
 *         "s3a://bucket/embedding-errors", EmbeddingOptions.of(TowerSource.mobileNetV2()));
 * }</pre>
 *
 * <p><b>Input.</b> A manifest ({@link #readManifest}): Parquet or CSV with a header, columns {@code
 * path} and optionally {@code id} (see {@link LitColumns}). Paths are read through Hadoop's file
 * systems, so local paths, {@code hdfs://} and {@code s3a://} URIs work alike; relative paths
 * resolve against the manifest's directory, as in {@link dev.lit4j.store.EmbeddingStoreBuilder}.
 * Spark decides the partitions; repartition the manifest first for more parallelism than its files
 * give.
 *
 * <p><b>Work.</b> Each partition is embedded by {@code mapPartitions} with its JVM's tower ({@link
 * ExecutorTowers}: loaded once per executor, shared by its tasks, closed when it exits), in batches
 * of {@link EmbeddingOptions#batchSize()}. The driver also loads the tower once, to read its
 * identity and dimension for the output schema before any task runs (and to fail fast on a bad
 * source).
 *
 * <p><b>Output.</b> Embeddings ({@link LitColumns#embeddingsSchema}: {@code id}, {@code path},
 * {@code embedding array<float>}, tower identity in the column metadata) and errors ({@link
 * LitColumns#errorsSchema}: {@code id}, {@code path}, {@code reason}, {@code detail}). A row that
 * fails never fails the job. Output order is Spark's, not the manifest's.
 *
 * <p>Thread-safety: the static methods may be called from several driver threads (Spark schedules
 * their jobs concurrently).
 */
public final class EmbeddingJob {
  private EmbeddingJob() {}

  /**
   * Reads a manifest: CSV with a header when the path ends in {@code .csv} or {@code .csv.gz}
   * (case-insensitive), else Parquet (a {@code .parquet} file or a directory written by Spark).
   *
   * @param spark the session to read with
   * @param uri the manifest: a local path or a Hadoop file-system URI ({@code hdfs://}, {@code
   *     s3a://}, …)
   * @return the manifest's rows (a CSV's columns are all strings); Spark reads the header or schema
   *     now, the rows only when the result is used
   */
  public static Dataset<Row> readManifest(SparkSession spark, String uri) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(uri, "uri");
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      return spark.read().option("header", "true").csv(uri);
    }
    return spark.read().parquet(uri);
  }

  /**
   * Defines the embedding of a manifest; nothing runs until an output is used. The outcome of each
   * row is computed once and cached ({@code persist}), so writing both outputs embeds each image
   * once; {@link EmbeddedImages#close()} releases the cache.
   *
   * @param manifest rows with a {@code path} and optionally an {@code id} column
   * @param baseDir the directory relative paths resolve against, or {@code null} to use them as
   *     they are (relative to the executors' working directory)
   * @param options the tower and decoding options
   * @return the embeddings and error rows, lazy and cached; the caller closes it to release the
   *     cache
   * @throws IllegalArgumentException if the manifest has no {@code path} column
   * @throws java.io.UncheckedIOException if the driver cannot load the tower (it is loaded once
   *     there for its identity and dimension)
   */
  public static EmbeddedImages embed(
      Dataset<Row> manifest, String baseDir, EmbeddingOptions options) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(options, "options");
    if (!hasColumn(manifest, LitColumns.PATH)) {
      throw new IllegalArgumentException(
          "the manifest has no '"
              + LitColumns.PATH
              + "' column (columns: "
              + String.join(", ", manifest.columns())
              + "); expected path and optionally id");
    }
    SparkSession spark = manifest.sparkSession();
    ImageTower tower = ExecutorTowers.get(options.tower());
    Column id =
        hasColumn(manifest, LitColumns.ID)
            ? col(LitColumns.ID).cast("string")
            : functions.lit(null).cast("string");
    Dataset<Row> input = manifest.select(col(LitColumns.PATH).cast("string"), id);
    Dataset<Row> outcomes =
        input
            .mapPartitions(
                new EmbedPartition(options.tower(), broadcastHadoopConf(spark), baseDir, options),
                Encoders.row(EmbedPartition.OUTCOME))
            .persist();
    StructField embeddingField =
        LitColumns.embeddingsSchema(tower.identity(), tower.dimension())
            .apply(LitColumns.EMBEDDING);
    Dataset<Row> embeddings =
        outcomes
            .filter(col(LitColumns.REASON).isNull())
            .select(
                col(LitColumns.ID),
                col(LitColumns.PATH),
                col(LitColumns.EMBEDDING).as(LitColumns.EMBEDDING, embeddingField.metadata()));
    Dataset<Row> errors =
        outcomes
            .filter(col(LitColumns.REASON).isNotNull())
            .select(
                col(LitColumns.ID),
                col(LitColumns.PATH),
                col(LitColumns.REASON),
                col(LitColumns.DETAIL));
    return new EmbeddedImages(embeddings, errors, outcomes);
  }

  /**
   * Embeds the manifest at {@code manifestUri} and writes the embeddings and errors as Parquet
   * directories; fails if either exists.
   *
   * @param spark the session to run in
   * @param manifestUri the manifest, as {@link #readManifest} reads it; its relative paths resolve
   *     against its parent directory
   * @param embeddingsUri where the embeddings Parquet directory is written; must not exist
   * @param errorsUri where the error Parquet directory is written; must not exist
   * @param options the tower and decoding options
   * @return the counts and the rate
   * @throws IllegalArgumentException as {@link #embed}
   */
  public static EmbeddingSummary run(
      SparkSession spark,
      String manifestUri,
      String embeddingsUri,
      String errorsUri,
      EmbeddingOptions options) {
    Objects.requireNonNull(embeddingsUri, "embeddingsUri");
    Objects.requireNonNull(errorsUri, "errorsUri");
    long started = System.nanoTime();
    Dataset<Row> manifest = readManifest(spark, manifestUri);
    try (EmbeddedImages images = embed(manifest, parentOf(manifestUri), options)) {
      return write(images, embeddingsUri, errorsUri, started);
    }
  }

  /** Writes both outputs (failing if either exists) and counts them. */
  static EmbeddingSummary write(
      EmbeddedImages images, String embeddingsUri, String errorsUri, long startedNanos) {
    images.embeddings().write().parquet(embeddingsUri);
    images.errors().write().parquet(errorsUri);
    long embedded = images.embeddings().count();
    long rejected = images.errors().count();
    return new EmbeddingSummary(embedded, rejected, (System.nanoTime() - startedNanos) / 1e9);
  }

  /** The directory of a manifest, against which its relative paths resolve; null if none. */
  static String parentOf(String manifestUri) {
    Path parent = new Path(manifestUri).getParent();
    return parent == null ? null : parent.toString();
  }

  static Broadcast<Map<String, String>> broadcastHadoopConf(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, String> entries = new HashMap<>();
    for (Map.Entry<String, String> e : conf) {
      entries.put(e.getKey(), e.getValue());
    }
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(entries);
  }

  static boolean hasColumn(Dataset<Row> data, String name) {
    for (String c : data.columns()) {
      if (c.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
