package dev.lit4j.spark;

import static org.apache.spark.sql.functions.col;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.util.ArrayList;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch zero-shot classification: the class matrix ({@link ClassMatrix}) is computed once on the
 * driver and broadcast; executors score their partitions of image embeddings with it, in batches,
 * with the same code as {@link ZeroShotClassifier#classifyAll(EmbeddingMatrix)}. Images can also be
 * classified straight from a manifest ({@link #classifyImages}), embedding them on the fly in the
 * same stage.
 *
 * <pre>{@code
 * ClassMatrix classes;
 * try (LitModel model = LitModel.loadDefault()) {
 *   classes = ClassMatrix.of(model, List.of("cat", "dog", "car"));
 * }
 * Dataset<Row> top3 =
 *     ClassificationJob.classify(spark.read().parquet("s3a://bucket/embeddings"), classes, 3);
 * }</pre>
 *
 * <p>Output ({@link #SCHEMA}): {@code id} string, {@code labels} {@code array<string>} and {@code
 * scores} {@code array<double>}, the top {@code k} classes best first (ties by class index), with
 * the calibrated scores of {@link ClassScores}.
 *
 * <p>Thread-safety: the static methods hold no state.
 */
public final class ClassificationJob {
  /** Image embeddings classified per {@code classifyAll} call. */
  static final int BATCH = 1024;

  /** The output schema: {@code id}, {@code labels}, {@code scores}. */
  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            new StructField(LitColumns.ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField(
                "labels",
                DataTypes.createArrayType(DataTypes.StringType, false),
                false,
                Metadata.empty()),
            new StructField(
                "scores",
                DataTypes.createArrayType(DataTypes.DoubleType, false),
                false,
                Metadata.empty())
          });

  private ClassificationJob() {}

  /**
   * Classifies image embeddings.
   *
   * @param embeddings {@code id} and {@code embedding} columns, as {@link EmbeddingJob} writes
   * @param classes the class matrix, built on the driver
   * @param k how many classes to keep per image ({@code min(k, K)})
   * @return the predictions ({@link #SCHEMA}), one row per embedding row; lazy, so nothing runs
   *     until the result is written or counted
   * @throws IllegalArgumentException if {@code k < 1}, or the embeddings were made by another image
   *     tower than the classes' model's (both identities are named), or their {@code embedding}
   *     column carries no tower identity
   */
  public static Dataset<Row> classify(Dataset<Row> embeddings, ClassMatrix classes, int k) {
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(classes, "classes");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    checkTower(LitColumns.towerOf(embeddings.schema()), classes.imageTower());
    Broadcast<ClassMatrix> shared =
        JavaSparkContext.fromSparkContext(embeddings.sparkSession().sparkContext())
            .broadcast(classes);
    return embeddings
        .select(col(LitColumns.ID), col(LitColumns.EMBEDDING))
        .mapPartitions(new ClassifyPartition(shared, k), Encoders.row(SCHEMA));
  }

  /**
   * Classifies the images of a manifest, embedding them on the fly with {@code options}' tower;
   * close the result to release its cache.
   *
   * @param manifest rows with a {@code path} and optionally an {@code id} column ({@link
   *     LitColumns})
   * @param baseDir the directory relative paths resolve against, or {@code null} to use them as
   *     they are (relative to the executors' working directory)
   * @param options the tower and decoding options; the tower must be the image tower of the
   *     classes' model ({@link TowerSource#defaultModel()} or {@link TowerSource#modelDirectory})
   * @param classes the class matrix, built on the driver
   * @param k how many classes to keep per image ({@code min(k, K)})
   * @return the predictions and the rows that could not be embedded; the caller closes it (if
   *     building it fails, the cache is released before the exception propagates)
   * @throws IllegalArgumentException as {@link #classify} and {@link EmbeddingJob#embed}
   */
  public static Classified classifyImages(
      Dataset<Row> manifest, String baseDir, EmbeddingOptions options, ClassMatrix classes, int k) {
    EmbeddedImages images = EmbeddingJob.embed(manifest, baseDir, options);
    try {
      return new Classified(classify(images.embeddings(), classes, k), images);
    } catch (RuntimeException e) {
      images.close();
      throw e;
    }
  }

  /**
   * Predictions of {@link #classifyImages} and the images they come from.
   *
   * @param predictions {@link #SCHEMA} rows
   * @param images the embeddings and error rows of the images
   */
  public record Classified(Dataset<Row> predictions, EmbeddedImages images)
      implements AutoCloseable {
    /**
     * {@return the rows that could not be embedded ({@link LitColumns#errorsSchema}): {@code id},
     * {@code path}, {@code reason}, {@code detail}}
     */
    public Dataset<Row> errors() {
      return images.errors();
    }

    @Override
    public void close() {
      images.close();
    }
  }

  static void checkTower(TowerIdentity embeddedWith, TowerIdentity expected) {
    if (!embeddedWith.equals(expected)) {
      throw new IllegalArgumentException(
          "the embeddings were made by image tower "
              + embeddedWith.describe()
              + ", but the model's image tower is "
              + expected.describe()
              + "; embed the images with the model's image tower (TowerSource.defaultModel() or"
              + " TowerSource.modelDirectory(dir))");
    }
  }

  /** Scores one partition in batches of {@link #BATCH}. */
  private static final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<ClassMatrix> classes;
    private final int k;

    ClassifyPartition(Broadcast<ClassMatrix> classes, int k) {
      this.classes = classes;
      this.k = k;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      ZeroShotClassifier classifier = classes.value().classifier();
      return new Batches<>(input, BATCH) {
        @Override
        protected List<Row> process(List<Row> batch) {
          List<Embedding> rows = new ArrayList<>(batch.size());
          for (Row r : batch) {
            rows.add(Embedding.of(LitColumns.floats(r, 1)));
          }
          List<ClassScores> scores = classifier.classifyAll(EmbeddingMatrix.of(rows));
          List<Row> out = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            List<ClassScore> top = scores.get(i).top(k);
            String[] labels = new String[top.size()];
            double[] values = new double[top.size()];
            for (int j = 0; j < top.size(); j++) {
              labels[j] = top.get(j).label();
              values[j] = top.get(j).score();
            }
            out.add(RowFactory.create(batch.get(i).getString(0), labels, values));
          }
          return out;
        }
      };
    }
  }
}
