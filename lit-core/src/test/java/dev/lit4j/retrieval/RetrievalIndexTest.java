package dev.lit4j.retrieval;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.testing.RandomEmbeddings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalIndexTest {
  /** Scores are float32 dot products of unit vectors; a float64 reference agrees to ~1e-7. */
  private static final double SCORE_ATOL = 1e-6;

  /** Reference: all gallery items sorted by float64 cosine, descending, ties by index. */
  private static List<Hit> bruteForce(EmbeddingMatrix gallery, Embedding query, int k) {
    List<Hit> all = new ArrayList<>();
    for (int i = 0; i < gallery.size(); i++) {
      all.add(new Hit(i, query.cosine(gallery.get(i))));
    }
    all.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(Hit::index));
    return all.subList(0, Math.min(k, all.size()));
  }

  @Test
  void searchAll_acrossSeveralBlocks_matchesAFloat64BruteForceReference() {
    // More gallery rows than one gallery block and more queries than one query block.
    EmbeddingMatrix gallery = RandomEmbeddings.gaussian(RetrievalIndex.GALLERY_BLOCK + 300, 16, 1);
    EmbeddingMatrix queries = RandomEmbeddings.gaussian(RetrievalIndex.QUERY_BLOCK + 7, 16, 2);
    List<List<Hit>> hits = RetrievalIndex.of(gallery).searchAll(queries, 10);
    assertEquals(queries.size(), hits.size());
    for (int q = 0; q < queries.size(); q++) {
      List<Hit> expected = bruteForce(gallery, queries.get(q), 10);
      List<Hit> actual = hits.get(q);
      assertEquals(
          expected.stream().map(Hit::index).toList(),
          actual.stream().map(Hit::index).toList(),
          "query " + q);
      for (int r = 0; r < 10; r++) {
        assertClose(
            expected.get(r).score(), actual.get(r).score(), 0, SCORE_ATOL, "q " + q + " r " + r);
      }
    }
  }

  @Test
  void search_ofAGalleryItem_findsItFirst() {
    EmbeddingMatrix gallery = RandomEmbeddings.gaussian(50, 8, 3);
    Hit first = RetrievalIndex.of(gallery).search(gallery.get(17), 3).get(0);
    assertEquals(17, first.index());
    assertClose(1.0, first.score(), 0, SCORE_ATOL, "self-similarity");
  }

  @Test
  void search_withTiedScores_ordersByLowerIndex() {
    Embedding a = Embedding.of(1, 0);
    Embedding b = Embedding.of(0, 1);
    EmbeddingMatrix gallery = EmbeddingMatrix.of(List.of(b, a, b, a, a));
    List<Hit> hits = RetrievalIndex.of(gallery).search(a, 4);
    assertEquals(List.of(1, 3, 4, 0), hits.stream().map(Hit::index).toList());
  }

  @Test
  void search_withKAboveGallerySize_returnsWholeGallery() {
    EmbeddingMatrix gallery = RandomEmbeddings.gaussian(5, 4, 4);
    assertEquals(5, RetrievalIndex.of(gallery).search(gallery.get(0), 100).size());
  }

  @Test
  void searchAll_isEquivariantToPermutingTheGallery() {
    EmbeddingMatrix gallery = RandomEmbeddings.gaussian(200, 8, 5);
    EmbeddingMatrix queries = RandomEmbeddings.gaussian(20, 8, 6);
    int[] order = RandomEmbeddings.permutation(200, 7);
    EmbeddingMatrix permuted = RandomEmbeddings.permuteRows(gallery, order);
    List<List<Hit>> before = RetrievalIndex.of(gallery).searchAll(queries, 5);
    List<List<Hit>> after = RetrievalIndex.of(permuted).searchAll(queries, 5);
    for (int q = 0; q < 20; q++) {
      for (int r = 0; r < 5; r++) {
        // Permuted row i is original row order[i]; random scores have no ties.
        assertEquals(before.get(q).get(r).index(), order[after.get(q).get(r).index()]);
        // The float32 kernel's rounding may depend on a row's position within its block.
        assertClose(
            before.get(q).get(r).score(),
            after.get(q).get(r).score(),
            FLOAT32_RTOL,
            0,
            "score of hit " + r + " of query " + q);
      }
    }
  }

  @Test
  void search_withKBelowOne_throws() {
    RetrievalIndex index = RetrievalIndex.of(RandomEmbeddings.gaussian(3, 4, 8));
    Embedding q = Embedding.of(1, 0, 0, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> index.search(q, 0));
    assertEquals("k must be at least 1, got 0", e.getMessage());
  }

  @Test
  void search_withQueryOfOtherDimension_namesBothDimensions() {
    RetrievalIndex index = RetrievalIndex.of(RandomEmbeddings.gaussian(3, 4, 9));
    Embedding q = Embedding.of(1, 0, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> index.search(q, 1));
    assertTrue(e.getMessage().contains("query dimension 3"), e.getMessage());
    assertTrue(e.getMessage().contains("gallery dimension 4"), e.getMessage());
  }
}
