package dev.lit4j.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.retrieval.Hit;
import dev.lit4j.retrieval.RetrievalIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Text-to-image search over image embeddings on Spark: the queries ({@link QueryMatrix}) are
 * embedded on the driver and broadcast; each partition searches its embeddings with a {@link
 * RetrievalIndex} over chunks of {@value #CHUNK} rows and keeps its own top {@code k} per query;
 * then a global merge (one shuffle of at most {@code partitions × Q × k} rows) ranks the candidates
 * of each query and keeps the top {@code k}. The result equals a {@link RetrievalIndex} over the
 * whole collection, up to the order of exact ties (broken here by id).
 *
 * <pre>{@code
 * QueryMatrix queries;
 * try (LitModel model = LitModel.loadDefault()) {
 *   queries = QueryMatrix.of(model, List.of("a red car", "a dog on a beach"));
 * }
 * Dataset<Row> hits = SearchJob.search(spark.read().parquet("s3a://bucket/embeddings"), queries, 10);
 * }</pre>
 *
 * <p>Output ({@link #SCHEMA}): {@code query} string, {@code rank} int (1 = best), {@code id}
 * string, {@code score} double (cosine similarity), ordered by query index and rank.
 *
 * <p>Thread-safety: the static methods hold no state.
 */
public final class SearchJob {
  /** Gallery rows per {@link RetrievalIndex} in a partition. */
  static final int CHUNK = 4096;

  /** The output schema: {@code query}, {@code rank}, {@code id}, {@code score}. */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            new StructField("query", DataTypes.StringType, false, Metadata.empty()),
            new StructField("rank", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(LitColumns.ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField("score", DataTypes.DoubleType, false, Metadata.empty())
          });

  private static final StructType CANDIDATE =
      new StructType(
          new StructField[] {
            new StructField("query_index", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(LitColumns.ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField("score", DataTypes.DoubleType, false, Metadata.empty())
          });

  private SearchJob() {}

  /**
   * Finds the {@code k} embeddings most similar to each query.
   *
   * @param embeddings {@code id} and {@code embedding} columns, as {@link EmbeddingJob} writes
   * @param queries the queries, embedded on the driver
   * @param k hits per query
   * @return the hits ({@link #SCHEMA}), at most {@code k} per query (fewer if there are fewer
   *     embeddings), ordered by query index and rank; lazy, so nothing runs until the result is
   *     written or counted
   * @throws IllegalArgumentException if {@code k < 1}, or the embeddings were made by another image
   *     tower than the queries' model's (both are named), or their {@code embedding} column carries
   *     no tower identity
   */
  public static Dataset<Row> search(Dataset<Row> embeddings, QueryMatrix queries, int k) {
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(queries, "queries");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    ClassificationJob.checkTower(LitColumns.towerOf(embeddings.schema()), queries.imageTower());
    JavaSparkContext jsc =
        JavaSparkContext.fromSparkContext(embeddings.sparkSession().sparkContext());
    Broadcast<QueryMatrix> shared = jsc.broadcast(queries);
    Dataset<Row> candidates =
        embeddings
            .select(col(LitColumns.ID), col(LitColumns.EMBEDDING))
            .mapPartitions(new SearchPartition(shared, k), Encoders.row(CANDIDATE));
    List<Row> texts = new ArrayList<>();
    for (int q = 0; q < queries.texts().size(); q++) {
      texts.add(RowFactory.create(q, queries.texts().get(q)));
    }
    Dataset<Row> queryTable =
        embeddings
            .sparkSession()
            .createDataFrame(
                texts,
                new StructType(
                    new StructField[] {
                      new StructField(
                          "query_index", DataTypes.IntegerType, false, Metadata.empty()),
                      new StructField("query", DataTypes.StringType, false, Metadata.empty())
                    }));
    return candidates
        .withColumn(
            "rank",
            row_number()
                .over(
                    Window.partitionBy("query_index")
                        .orderBy(col("score").desc(), col(LitColumns.ID).asc())))
        .filter(col("rank").leq(k))
        .join(broadcast(queryTable), "query_index")
        .orderBy(col("query_index"), col("rank"))
        .select(col("query"), col("rank"), col(LitColumns.ID), col("score"));
  }

  /** Keeps the top {@code k} per query of one partition. */
  private static final class SearchPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Candidate> BEST_FIRST =
        Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::id);

    private final Broadcast<QueryMatrix> queries;
    private final int k;

    SearchPartition(Broadcast<QueryMatrix> queries, int k) {
      this.queries = queries;
      this.k = k;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      EmbeddingMatrix q = queries.value().embeddings();
      List<List<Candidate>> best = new ArrayList<>();
      for (int i = 0; i < q.size(); i++) {
        best.add(new ArrayList<>());
      }
      List<String> ids = new ArrayList<>(CHUNK);
      List<Embedding> rows = new ArrayList<>(CHUNK);
      while (input.hasNext()) {
        Row r = input.next();
        ids.add(r.getString(0));
        rows.add(Embedding.of(LitColumns.floats(r, 1)));
        if (rows.size() == CHUNK || !input.hasNext()) {
          List<List<Hit>> hits = RetrievalIndex.of(EmbeddingMatrix.of(rows)).searchAll(q, k);
          for (int i = 0; i < hits.size(); i++) {
            List<Candidate> kept = best.get(i);
            for (Hit h : hits.get(i)) {
              kept.add(new Candidate(ids.get(h.index()), h.score()));
            }
            kept.sort(BEST_FIRST);
            if (kept.size() > k) {
              kept.subList(k, kept.size()).clear();
            }
          }
          ids.clear();
          rows.clear();
        }
      }
      List<Row> out = new ArrayList<>();
      for (int i = 0; i < best.size(); i++) {
        for (Candidate c : best.get(i)) {
          out.add(RowFactory.create(i, c.id(), c.score()));
        }
      }
      return out.iterator();
    }
  }

  private record Candidate(String id, double score) {}
}
