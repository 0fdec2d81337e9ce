package dev.lit4j.spark;

import dev.lit4j.model.TowerIdentity;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column names and schemas of lit-spark's inputs and outputs, and the tower identity carried in the
 * embedding column's metadata.
 *
 * <ul>
 *   <li>Manifest: {@code path} (string: a local path, a {@code file:}/{@code hdfs://}/{@code
 *       s3a://} URI, or a path relative to the manifest's directory) and optionally {@code id}
 *       (string; the path when absent or empty). The same columns as a {@link
 *       dev.lit4j.store.EmbeddingStoreBuilder} CSV manifest.
 *   <li>Embeddings ({@link #embeddingsSchema}): {@code id} string, {@code path} string, {@code
 *       embedding} {@code array<float>} (unit-norm, {@code D} values). The {@code embedding}
 *       field's metadata holds {@value #TOWER_NAME}, {@value #TOWER_CHECKSUM}, {@value
 *       #TOWER_PREPROCESSING} and {@value #DIMENSION}; Spark writes field metadata into the Parquet
 *       footer (key {@code org.apache.spark.sql.parquet.row.metadata}) and restores it on read, so
 *       the identity of the tower travels with the files.
 *   <li>Errors ({@link #errorsSchema}): {@code id}, {@code path}, {@code reason} (an {@link
 *       dev.lit4j.image.ImageReadException.Reason} name, or {@code TOWER_FAILED}) and {@code
 *       detail}, all strings: the rejects of {@link dev.lit4j.store.EmbeddingStoreBuilder}.
 * </ul>
 *
 * <p>Thread-safe (constants and pure functions).
 */
public final class LitColumns {
  /** The image id column. */
  public static final String ID = "id";

  /** The image path or URI column. */
  public static final String PATH = "path";

  /** The embedding column, {@code array<float>}. */
  public static final String EMBEDDING = "embedding";

  /** The failure reason column of error outputs. */
  public static final String REASON = "reason";

  /** The failure detail column of error outputs. */
  public static final String DETAIL = "detail";

  /** Embedding column metadata: the tower's name. */
  public static final String TOWER_NAME = "lit4j.tower.name";

  /** Embedding column metadata: the tower's weights checksum. */
  public static final String TOWER_CHECKSUM = "lit4j.tower.checksum";

  /** Embedding column metadata: the tower's preprocessing. */
  public static final String TOWER_PREPROCESSING = "lit4j.tower.preprocessing";

  /** Embedding column metadata: the embedding dimension (a long). */
  public static final String DIMENSION = "lit4j.dimension";

  /** The reason of a row the tower failed on alone, as in {@code rejects.jsonl}. */
  public static final String TOWER_FAILED = "TOWER_FAILED";

  private LitColumns() {}

  /**
   * Returns the embeddings schema, with the tower's identity in the embedding column.
   *
   * @param tower the identity of the tower that makes the embeddings
   * @param dimension the embedding dimension {@code D}, recorded as {@value #DIMENSION}
   * @return {@code id}, {@code path} and {@code embedding} ({@code array<float>}), all non-null,
   *     the identity and dimension in the {@code embedding} field's metadata
   * @throws NullPointerException if {@code tower} is null
   */
  public static StructType embeddingsSchema(TowerIdentity tower, int dimension) {
    Objects.requireNonNull(tower, "tower");
    Metadata metadata =
        new MetadataBuilder()
            .putString(TOWER_NAME, tower.name())
            .putString(TOWER_CHECKSUM, tower.checksum())
            .putString(TOWER_PREPROCESSING, tower.preprocessing())
            .putLong(DIMENSION, dimension)
            .build();
    return new StructType(
        new StructField[] {
          new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
          new StructField(PATH, DataTypes.StringType, false, Metadata.empty()),
          new StructField(
              EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false, metadata)
        });
  }

  /**
   * {@return the error output's schema: {@code id}, {@code path}, {@code reason} and {@code
   * detail}, all non-null strings}
   */
  public static StructType errorsSchema() {
    return new StructType(
        new StructField[] {
          new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
          new StructField(PATH, DataTypes.StringType, false, Metadata.empty()),
          new StructField(REASON, DataTypes.StringType, false, Metadata.empty()),
          new StructField(DETAIL, DataTypes.StringType, false, Metadata.empty())
        });
  }

  /**
   * Returns the identity of the tower that made the embeddings of a schema.
   *
   * @param schema the schema of embeddings read back from Parquet (or of a dataset built on them)
   * @return the identity recorded in the {@code embedding} field's metadata
   * @throws NullPointerException if {@code schema} is null
   * @throws IllegalArgumentException if the schema has no {@code embedding} column, or it carries
   *     no lit4j tower identity (it was not written by lit-spark)
   */
  public static TowerIdentity towerOf(StructType schema) {
    Metadata m = embeddingField(schema).metadata();
    if (!m.contains(TOWER_NAME)
        || !m.contains(TOWER_CHECKSUM)
        || !m.contains(TOWER_PREPROCESSING)) {
      throw new IllegalArgumentException(
          "the embedding column carries no lit4j tower identity (metadata "
              + m.json()
              + "); embeddings must come from lit-spark's EmbeddingJob or StoreTransfer");
    }
    return new TowerIdentity(
        m.getString(TOWER_NAME), m.getString(TOWER_CHECKSUM), m.getString(TOWER_PREPROCESSING));
  }

  /**
   * Returns the embedding dimension recorded in a schema.
   *
   * @param schema the schema of embeddings read back from Parquet (or of a dataset built on them)
   * @return the dimension {@code D} recorded in the {@code embedding} field's metadata
   * @throws NullPointerException if {@code schema} is null
   * @throws IllegalArgumentException if the schema has no {@code embedding} column, or it records
   *     no dimension
   * @throws ArithmeticException if the recorded dimension does not fit in an {@code int}
   */
  public static int dimensionOf(StructType schema) {
    Metadata m = embeddingField(schema).metadata();
    if (!m.contains(DIMENSION)) {
      throw new IllegalArgumentException(
          "the embedding column records no dimension (metadata " + m.json() + ")");
    }
    return Math.toIntExact(m.getLong(DIMENSION));
  }

  /** Copies an {@code array<float>} value of a row into a {@code float[]}. */
  static float[] floats(Row row, int field) {
    List<Float> values = row.getList(field);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static StructField embeddingField(StructType schema) {
    Objects.requireNonNull(schema, "schema");
    for (StructField f : schema.fields()) {
      if (f.name().equals(EMBEDDING)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "no '" + EMBEDDING + "' column in " + schema.simpleString() + "; expected embeddings");
  }
}
