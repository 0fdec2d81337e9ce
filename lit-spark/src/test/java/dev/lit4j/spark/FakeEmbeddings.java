package dev.lit4j.spark;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Embeddings datasets made from in-memory rows, for tests that need no tower. */
final class FakeEmbeddings {
  private FakeEmbeddings() {}

  /** Ids {@code img-000, img-001, …}; row {@code i} of {@code rows}, in {@code partitions}. */
  static Dataset<Row> of(
      SparkSession spark, EmbeddingMatrix rows, TowerIdentity tower, int partitions) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(RowFactory.create(id(i), "img/" + id(i) + ".png", rows.get(i).toArray()));
    }
    return spark
        .createDataFrame(out, LitColumns.embeddingsSchema(tower, rows.dimension()))
        .repartition(partitions);
  }

  static String id(int i) {
    return String.format("img-%03d", i);
  }
}
