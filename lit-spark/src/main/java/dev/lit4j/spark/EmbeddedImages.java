package dev.lit4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The two outputs of {@link EmbeddingJob#embed}, computed from one cached pass over the images.
 * Close to release the cache (the datasets stay usable and would be recomputed).
 *
 * @param embeddings {@code id}, {@code path}, {@code embedding} ({@link
 *     LitColumns#embeddingsSchema}), tower identity in the column metadata
 * @param errors {@code id}, {@code path}, {@code reason}, {@code detail} ({@link
 *     LitColumns#errorsSchema})
 * @param outcomes the cached rows both are filtered from
 */
public record EmbeddedImages(Dataset<Row> embeddings, Dataset<Row> errors, Dataset<Row> outcomes)
    implements AutoCloseable {
  /** Drops the cached outcomes; idempotent. */
  @Override
  public void close() {
    outcomes.unpersist();
  }
}
