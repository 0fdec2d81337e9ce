package dev.lit4j.spark;

import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.testing.RandomEmbeddings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of embeddings Parquet to an EmbeddingStore and import back. */
class StoreTransferTest {
  /** The store re-normalises float32 rows on read: at most an ulp or so per component. */
  private static final double ATOL = 1e-7;

  private static final TowerIdentity TOWER = new TowerIdentity("fake", "sha256:22", "none");

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @Test
  void toStore_thenFromStore_keepsIdsPathsRowsRejectsAndIdentity() throws IOException {
    EmbeddingMatrix rows = RandomEmbeddings.gaussian(40, 8, 4);
    String parquet = dir.resolve("embeddings").toString();
    String errors = dir.resolve("errors").toString();
    FakeEmbeddings.of(spark, rows, TOWER, 3).write().parquet(parquet);
    spark
        .createDataFrame(
            List.of(RowFactory.create("bad", "img/bad.png", "CORRUPT", "premature end")),
            LitColumns.errorsSchema())
        .write()
        .parquet(errors);

    Path store = dir.resolve("store");
    assertEquals(40, StoreTransfer.toStore(spark, parquet, errors, store));
    try (EmbeddingStore s = EmbeddingStore.open(store, TOWER)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(FakeEmbeddings.id(i));
      }
      assertEquals(ids, s.ids());
      assertAllClose(rows.matrix().toArray(), s.all().matrix().toArray(), 0, ATOL);
    }
    String rejects = Files.readString(store.resolve("rejects.jsonl"), StandardCharsets.UTF_8);
    assertTrue(rejects.contains("\"reason\":\"CORRUPT\""), rejects);
    assertTrue(
        Files.readString(store.resolve("index.jsonl")).contains("\"path\":\"img/img-000.png\""));

    String back = dir.resolve("imported").toString();
    assertEquals(40, StoreTransfer.fromStore(spark, store, TOWER, back));
    Dataset<Row> imported = spark.read().parquet(back).orderBy(LitColumns.ID);
    assertEquals(TOWER, LitColumns.towerOf(imported.schema()));
    List<Row> importedRows = imported.collectAsList();
    for (int i = 0; i < 40; i++) {
      assertEquals(FakeEmbeddings.id(i), importedRows.get(i).getString(0));
      assertEquals("img/" + FakeEmbeddings.id(i) + ".png", importedRows.get(i).getString(1));
      assertAllClose(rows.get(i).toArray(), LitColumns.floats(importedRows.get(i), 2), 0, ATOL);
    }
  }

  @Test
  void toStore_ofParquetWithoutTowerIdentity_throws() {
    String parquet = dir.resolve("plain").toString();
    StructType schema =
        new StructType()
            .add(LitColumns.ID, DataTypes.StringType)
            .add(LitColumns.PATH, DataTypes.StringType)
            .add(LitColumns.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType));
    spark
        .createDataFrame(List.of(RowFactory.create("a", "a.png", new float[] {1f, 0f})), schema)
        .write()
        .parquet(parquet);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StoreTransfer.toStore(spark, parquet, null, dir.resolve("store")));
    assertTrue(e.getMessage().contains("no lit4j tower identity"), e.getMessage());
  }

  @Test
  void fromStore_withAnotherExpectedTower_throws() throws IOException {
    String parquet = dir.resolve("embeddings").toString();
    FakeEmbeddings.of(spark, RandomEmbeddings.gaussian(3, 4, 1), TOWER, 1).write().parquet(parquet);
    Path store = dir.resolve("store");
    StoreTransfer.toStore(spark, parquet, null, store);
    TowerIdentity other = new TowerIdentity("other", "sha256:33", "none");
    String target = dir.resolve("back").toString();
    assertThrows(
        IllegalArgumentException.class, () -> StoreTransfer.fromStore(spark, store, other, target));
  }
}
