package dev.lit4j.spark;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.model.ImageTower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.testing.ColourImageTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding job with the real MobileNetV2 tower on real images, in {@code local[2]}. */
class EmbeddingJobTest {
  /**
   * float32 tower outputs of the same images in different batches: PyTorch's CPU kernels may
   * reorder sums by batch shape, a few ulps of each component.
   */
  private static final double ATOL = 1e-6;

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @Test
  void embeddings_equalTheSingleMachineStoreBuilders_andBadRowsLandInErrors() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    // Three partitions of two rows, batches of two: several tasks share the one tower.
    Dataset<Row> rows = EmbeddingJob.readManifest(spark, manifest.toString()).repartition(3);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.mobileNetV2()).withBatchSize(2);
    Map<String, float[]> distributed;
    Map<String, Row> errors;
    try (EmbeddedImages images = EmbeddingJob.embed(rows, dir.toString(), options)) {
      distributed =
          images.embeddings().collectAsList().stream()
              .collect(Collectors.toMap(r -> r.getString(0), r -> LitColumns.floats(r, 2)));
      errors =
          images.errors().collectAsList().stream()
              .collect(Collectors.toMap(r -> r.getString(0), r -> r));
    }
    ImageTower tower = ExecutorTowers.get(TowerSource.mobileNetV2());
    Path store = dir.resolve("store");
    EmbeddingStoreBuilder.builder(manifest, store, tower).build();
    try (EmbeddingStore expected = EmbeddingStore.open(store, tower.identity())) {
      assertEquals(SampleImages.GOOD, expected.ids());
      assertEquals(expected.size(), distributed.size());
      for (String id : expected.ids()) {
        assertAllClose(
            expected.get(expected.rowOf(id)).toArray(), distributed.get(id), FLOAT32_RTOL, ATOL);
      }
    }
    assertEquals(Map.of("corrupt", "CORRUPT", "missing", "MISSING"), reasons(errors));
    assertEquals("img/missing.png", errors.get("missing").getString(1));
    assertEquals("no such file", errors.get("missing").getString(3));
    assertFalse(errors.get("corrupt").getString(3).isBlank());
  }

  @Test
  void run_writesParquetWithTheTowerIdentity_andLoadsTheTowerOncePerJvm() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.mobileNetV2());
    ExecutorTowers.get(options.tower());
    int loadsBefore = ExecutorTowers.loads();
    String out = dir.resolve("embeddings").toString();
    String err = dir.resolve("errors").toString();
    EmbeddingSummary summary = EmbeddingJob.run(spark, manifest.toString(), out, err, options);
    assertEquals(4, summary.embedded());
    assertEquals(2, summary.rejected());
    assertEquals(loadsBefore, ExecutorTowers.loads(), "the job reused this JVM's tower");

    Dataset<Row> written = spark.read().parquet(out);
    ImageTower tower = ExecutorTowers.get(options.tower());
    assertEquals(tower.identity(), LitColumns.towerOf(written.schema()));
    assertEquals(tower.dimension(), LitColumns.dimensionOf(written.schema()));
    assertEquals(4, written.count());
    List<Row> errors = spark.read().parquet(err).orderBy("id").collectAsList();
    assertEquals(List.of("corrupt", "missing"), errors.stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void aTowerFailingOnOneImage_rejectsItAsTowerFailed_andEmbedsTheRestOfItsBatch()
      throws IOException {
    Path img = Files.createDirectories(dir.resolve("img"));
    StringBuilder csv = new StringBuilder("path,id\n");
    int[] colours = {0xff0000, 0x000000, 0x00ff00};
    for (int i = 0; i < colours.length; i++) {
      ImageIO.write(ColourImageTower.solid(colours[i], 8), "png", img.resolve(i + ".png").toFile());
      csv.append("img/").append(i).append(".png,c").append(i).append('\n');
    }
    Path manifest = dir.resolve("colours.csv");
    Files.writeString(manifest, csv);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.factory(ColourTowerFactory.class));
    try (EmbeddedImages images =
        EmbeddingJob.embed(
            EmbeddingJob.readManifest(spark, manifest.toString()), dir.toString(), options)) {
      assertEquals(
          List.of("c0", "c2"),
          images.embeddings().orderBy("id").collectAsList().stream()
              .map(r -> r.getString(0))
              .toList());
      Row failed = images.errors().collectAsList().get(0);
      assertEquals("c1", failed.getString(0));
      assertEquals(LitColumns.TOWER_FAILED, failed.getString(2));
      assertTrue(failed.getString(3).contains("IllegalArgumentException"), failed.getString(3));
    }
  }

  @Test
  void parquetManifest_withoutIds_usesThePathsAsIds() throws IOException {
    SampleImages.manifest(dir);
    String dog = dir.resolve("img/openclipart-dog.png").toAbsolutePath().toString();
    String missing = dir.resolve("img/missing.png").toAbsolutePath().toString();
    String manifest = dir.resolve("manifest.parquet").toString();
    spark
        .createDataFrame(
            List.of(RowFactory.create(dog), RowFactory.create(missing)),
            new StructType().add(LitColumns.PATH, DataTypes.StringType))
        .write()
        .parquet(manifest);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.factory(ColourTowerFactory.class));
    try (EmbeddedImages images =
        EmbeddingJob.embed(EmbeddingJob.readManifest(spark, manifest), null, options)) {
      assertEquals(
          List.of(dog),
          images.embeddings().collectAsList().stream().map(r -> r.getString(0)).toList());
      assertEquals(
          List.of(missing),
          images.errors().collectAsList().stream().map(r -> r.getString(0)).toList());
    }
  }

  private static Map<String, String> reasons(Map<String, Row> errors) {
    Map<String, String> out = new HashMap<>();
    errors.forEach((id, row) -> out.put(id, row.getString(2)));
    return out;
  }
}
