package dev.lit4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.retrieval.Hit;
import dev.lit4j.retrieval.RetrievalIndex;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import dev.lit4j.testing.RandomEmbeddings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text-to-image search, checked against {@link RetrievalIndex} on the same embeddings. */
class SearchJobTest {
  /** The same float32 dot products, widened to double; queries re-normalised once more. */
  private static final double SCORE_ATOL = 1e-6;

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @Test
  void search_withTheDefaultModelOnRealImages_equalsRetrievalIndex() throws IOException {
    Path manifest = SampleImages.manifest(dir);
    Dataset<Row> rows = EmbeddingJob.readManifest(spark, manifest.toString()).repartition(2);
    List<String> texts = List.of("a dog", "a house", "a shoe", "a handbag");
    try (LitModel model = LitModel.loadDefault();
        EmbeddedImages images =
            EmbeddingJob.embed(
                rows, dir.toString(), EmbeddingOptions.of(TowerSource.defaultModel()))) {
      QueryMatrix queries = QueryMatrix.of(model, texts);
      List<Row> hits = SearchJob.search(images.embeddings(), queries, 3).collectAsList();
      assertSameAsRetrievalIndex(images.embeddings().collectAsList(), queries, 3, hits);
      assertEquals("openclipart-dog", hits.get(0).getString(2));
    }
  }

  @Test
  void search_mergesThePartitionsTopKIntoTheGlobalTopK() {
    int dim = 16;
    HashingTextTower text = new HashingTextTower(dim, 5);
    ColourImageTower image = ColourImageTower.seeded(dim, 6);
    try (LitModel model = LitModel.of(image, text, ScoreCalibration.SOFTMAX_DEFAULT)) {
      EmbeddingMatrix gallery = RandomEmbeddings.gaussian(300, dim, 7);
      Dataset<Row> embeddings = FakeEmbeddings.of(spark, gallery, image.identity(), 5);
      QueryMatrix queries = QueryMatrix.of(model, List.of("red", "green car", "a blue boat"));
      List<Row> hits = SearchJob.search(embeddings, queries, 10).collectAsList();
      assertEquals(30, hits.size());
      assertSameAsRetrievalIndex(embeddings.collectAsList(), queries, 10, hits);
    }
  }

  @Test
  void search_withKBelowOne_throws() {
    HashingTextTower text = new HashingTextTower(8, 5);
    ColourImageTower image = ColourImageTower.seeded(8, 6);
    try (LitModel model = LitModel.of(image, text, ScoreCalibration.SOFTMAX_DEFAULT)) {
      Dataset<Row> embeddings =
          FakeEmbeddings.of(spark, RandomEmbeddings.gaussian(3, 8, 1), image.identity(), 1);
      QueryMatrix queries = QueryMatrix.of(model, List.of("red"));
      assertThrows(IllegalArgumentException.class, () -> SearchJob.search(embeddings, queries, 0));
    }
  }

  /**
   * Compares the job's rows with an in-memory index over {@code galleryRows} (id, …, embedding).
   */
  private static void assertSameAsRetrievalIndex(
      List<Row> galleryRows, QueryMatrix queries, int k, List<Row> hits) {
    List<String> ids = new ArrayList<>();
    List<Embedding> rows = new ArrayList<>();
    int embeddingField = galleryRows.get(0).fieldIndex(LitColumns.EMBEDDING);
    for (Row r : galleryRows) {
      ids.add(r.getString(0));
      rows.add(Embedding.of(LitColumns.floats(r, embeddingField)));
    }
    List<List<Hit>> expected =
        RetrievalIndex.of(EmbeddingMatrix.of(rows)).searchAll(queries.embeddings(), k);
    int at = 0;
    for (int q = 0; q < expected.size(); q++) {
      for (int rank = 0; rank < expected.get(q).size(); rank++) {
        Hit h = expected.get(q).get(rank);
        Row actual = hits.get(at++);
        assertEquals(queries.texts().get(q), actual.getString(0));
        assertEquals(rank + 1, actual.getInt(1));
        assertEquals(ids.get(h.index()), actual.getString(2), "query " + q + " rank " + rank);
        assertEquals(h.score(), actual.getDouble(3), SCORE_ATOL);
      }
    }
    assertEquals(at, hits.size());
  }
}
