package dev.lit4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line at toy scale: embed, export and import with the real MobileNetV2 tower. */
class LitSparkTest {
  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @Test
  void embedExportImport_roundTripThroughTheStoreFormat() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    String embeddings = dir.resolve("embeddings").toString();
    String errors = dir.resolve("errors").toString();
    String result =
        LitSpark.run(
            spark,
            "embed",
            "--manifest",
            manifest.toString(),
            "--embeddings",
            embeddings,
            "--errors",
            errors,
            "--partitions",
            "2");
    assertTrue(result.startsWith("embedded 4 images, 2 errors"), result);

    Path store = dir.resolve("store");
    LitSpark.run(
        spark, "export", "--embeddings", embeddings, "--errors", errors, "--store", "" + store);
    try (EmbeddingStore s =
        EmbeddingStore.open(store, ExecutorTowers.get(TowerSource.mobileNetV2()).identity())) {
      assertEquals(SampleImages.GOOD, s.ids());
    }
    String back = dir.resolve("imported").toString();
    String imported =
        LitSpark.run(spark, "import", "--store", store.toString(), "--embeddings", back);
    assertTrue(imported.startsWith("imported 4 embeddings"), imported);
    assertEquals(4, spark.read().parquet(back).count());
  }

  @Test
  void run_withAnUnknownCommand_namesTheCommands() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LitSpark.run(spark, "train"));
    assertTrue(
        e.getMessage().contains("[classify, embed, export, import, search]"), e.getMessage());
  }

  @Test
  void run_withoutARequiredOption_namesIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LitSpark.run(spark, "export", "--embeddings", "x"));
    assertTrue(e.getMessage().contains("--store"), e.getMessage());
  }
}
