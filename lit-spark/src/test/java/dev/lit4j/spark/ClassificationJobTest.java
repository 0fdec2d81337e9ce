package dev.lit4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.testing.RandomEmbeddings;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch zero-shot classification with the default LiT model on real images, in local[2]. */
class ClassificationJobTest {
  /**
   * Executors rebuild the classifier from re-normalised float32 class embeddings: a float32 ulp or
   * two in a cosine, times the model's temperature (about 38), in a softmax score.
   */
  private static final double SCORE_ATOL = 1e-5;

  private static final List<String> LABELS = List.of("bag", "sneaker", "dog", "house", "car");
  private static LitModel model;

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @BeforeAll
  static void loadModel() throws IOException {
    model = LitModel.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void classify_equalsTheInMemoryZeroShotClassifier() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.defaultModel());
    Dataset<Row> rows = EmbeddingJob.readManifest(spark, manifest.toString()).repartition(2);
    try (EmbeddedImages images = EmbeddingJob.embed(rows, dir.toString(), options)) {
      Dataset<Row> predictions =
          ClassificationJob.classify(images.embeddings(), ClassMatrix.of(model, LABELS), 3);
      Map<String, Row> byId = byId(predictions.collectAsList());

      List<Row> embedded = images.embeddings().collectAsList();
      List<Embedding> list = new ArrayList<>();
      for (Row r : embedded) {
        list.add(Embedding.of(LitColumns.floats(r, 2)));
      }
      List<ClassScores> expected =
          ZeroShotClassifier.of(model, LABELS).classifyAll(EmbeddingMatrix.of(list));
      assertEquals(SampleImages.GOOD.size(), byId.size());
      for (int i = 0; i < embedded.size(); i++) {
        assertTop(expected.get(i).top(3), byId.get(embedded.get(i).getString(0)));
      }
      assertEquals("dog", byId.get("openclipart-dog").getList(1).get(0));
    }
  }

  @Test
  void classifyImages_embedsOnTheFly_andReportsBadRows() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    EmbeddingOptions options = EmbeddingOptions.of(TowerSource.defaultModel());
    Dataset<Row> rows = EmbeddingJob.readManifest(spark, manifest.toString());
    ZeroShotClassifier inMemory = ZeroShotClassifier.of(model, LABELS);
    try (ClassificationJob.Classified c =
        ClassificationJob.classifyImages(
            rows, dir.toString(), options, ClassMatrix.of(model, LABELS), 2)) {
      Map<String, Row> byId = byId(c.predictions().collectAsList());
      assertEquals(SampleImages.GOOD.size(), byId.size());
      for (String id : SampleImages.GOOD) {
        ClassScores expected =
            inMemory.classify(
                dev.lit4j.image.ImageFiles.read(dir.resolve("img").resolve(id + ".png"), 448));
        assertTop(expected.top(2), byId.get(id));
      }
      List<String> reasons =
          c.errors().orderBy("id").collectAsList().stream().map(r -> r.getString(2)).toList();
      assertEquals(List.of("CORRUPT", "MISSING"), reasons);
    }
  }

  @Test
  void classify_embeddingsOfAnotherTower_throwsNamingBoth() {
    TowerIdentity other = new TowerIdentity("other-tower", "sha256:11", "none");
    Dataset<Row> embeddings =
        FakeEmbeddings.of(spark, RandomEmbeddings.gaussian(2, model.dimension(), 1), other, 1);
    ClassMatrix classes = ClassMatrix.of(model, LABELS);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationJob.classify(embeddings, classes, 1));
    assertTrue(e.getMessage().contains("other-tower"), e.getMessage());
    assertTrue(e.getMessage().contains(model.imageTower().identity().name()), e.getMessage());
  }

  private static void assertTop(List<ClassScore> expected, Row actual) {
    List<String> labels = actual.getList(1);
    List<Double> scores = actual.getList(2);
    assertEquals(expected.stream().map(ClassScore::label).toList(), labels);
    for (int j = 0; j < expected.size(); j++) {
      assertEquals(expected.get(j).score(), scores.get(j), SCORE_ATOL, "score of rank " + j);
    }
  }

  private static Map<String, Row> byId(List<Row> rows) {
    Map<String, Row> out = new HashMap<>();
    rows.forEach(r -> out.put(r.getString(0), r));
    return out;
  }
}
