package dev.lit4j.retrieval;

import static dev.lit4j.testing.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.testing.RandomEmbeddings;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  /** Metrics are ratios of small integers; only the division rounds. */
  private static final double EXACT = 1e-12;

  private static EmbeddingMatrix rows(float[][] rows) {
    return EmbeddingMatrix.normalising(FloatMatrix.ofRows(rows));
  }

  private static void assertMetrics(
      RankMetrics m, double r1, double r5, double r10, double mean, double median, int n) {
    assertClose(r1, m.recallAt1(), EXACT, 0, "R@1");
    assertClose(r5, m.recallAt5(), EXACT, 0, "R@5");
    assertClose(r10, m.recallAt10(), EXACT, 0, "R@10");
    assertClose(mean, m.meanRank(), EXACT, 0, "mean rank");
    assertClose(median, m.medianRank(), EXACT, 0, "median rank");
    assertEquals(n, m.queries());
  }

  @Test
  void evaluate_smallCase_matchesHandComputedRanks() {
    EmbeddingMatrix images = rows(new float[][] {{1, 0}, {0, 1}, {-1, 0}, {0.6f, 0.8f}});
    EmbeddingMatrix texts = rows(new float[][] {{1, 0.1f}, {0, 1}, {1, 0}, {-1, 0.2f}});
    // Image 0 has captions 0 and 1, image 1 caption 2, image 2 caption 3, image 3 none.
    RetrievalMetrics m = RetrievalMetrics.evaluate(images, texts, new int[] {0, 0, 1, 2});
    // image→text ranks: image 0 → 2 (text 2 beats its best caption 0), image 1 → 4, image 2 → 1;
    // image 3 has no caption and is no query.
    assertMetrics(m.imageToText(), 1 / 3.0, 1, 1, 7 / 3.0, 2, 3);
    // text→image ranks: 1; 3 (images 1 and 3 beat image 0; image 2 ties it at 0 but has the
    // higher index); 3 (images 0 and 3 beat image 1); 1.
    assertMetrics(m.textToImage(), 0.5, 1, 1, 2, 2, 4);
  }

  @Test
  void evaluate_withCaptionsEqualToTheirImages_isPerfect() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(40, 16, 1);
    int[] textToImage = new int[80];
    for (int j = 0; j < 80; j++) {
      textToImage[j] = j % 40;
    }
    EmbeddingMatrix texts = RandomEmbeddings.permuteRows(images, textToImage);
    RetrievalMetrics m = RetrievalMetrics.evaluate(images, texts, textToImage);
    assertMetrics(m.imageToText(), 1, 1, 1, 1, 1, 40);
    // Each image appears twice among the texts; its first copy has the lower index and wins.
    assertMetrics(m.textToImage(), 1, 1, 1, 1, 1, 80);
  }

  @Test
  void evaluate_ranks_agreeWithTheRetrievalIndexOrder() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(30, 8, 2);
    EmbeddingMatrix texts = RandomEmbeddings.gaussian(45, 8, 3);
    int[] textToImage = new Random(4).ints(45, 0, 30).toArray();
    int[] expected = new int[45];
    List<List<Hit>> hits = RetrievalIndex.of(images).searchAll(texts, 30);
    for (int j = 0; j < 45; j++) {
      for (int r = 0; r < 30; r++) {
        if (hits.get(j).get(r).index() == textToImage[j]) {
          expected[j] = r + 1;
        }
      }
    }
    RankMetrics reference = RankMetrics.fromRanks(expected);
    assertEquals(reference, RetrievalMetrics.evaluate(images, texts, textToImage).textToImage());
    assertTrue(reference.recallAt10() < 1, "the case must exercise ranks beyond 10");
  }

  @Test
  void evaluate_isInvariantToConsistentlyPermutingImagesAndTexts() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(25, 8, 5);
    EmbeddingMatrix texts = RandomEmbeddings.gaussian(50, 8, 6);
    int[] textToImage = new Random(7).ints(50, 0, 25).toArray();
    RetrievalMetrics before = RetrievalMetrics.evaluate(images, texts, textToImage);

    int[] imageOrder = RandomEmbeddings.permutation(25, 8);
    int[] newIndexOfImage = new int[25];
    for (int i = 0; i < 25; i++) {
      newIndexOfImage[imageOrder[i]] = i;
    }
    int[] textOrder = RandomEmbeddings.permutation(50, 9);
    int[] permutedTextToImage = new int[50];
    for (int j = 0; j < 50; j++) {
      permutedTextToImage[j] = newIndexOfImage[textToImage[textOrder[j]]];
    }
    RetrievalMetrics after =
        RetrievalMetrics.evaluate(
            RandomEmbeddings.permuteRows(images, imageOrder),
            RandomEmbeddings.permuteRows(texts, textOrder),
            permutedTextToImage);
    assertEquals(before, after);
  }

  @Test
  void evaluate_withImageIndexOutOfRange_namesTextAndValue() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(3, 4, 10);
    EmbeddingMatrix texts = RandomEmbeddings.gaussian(2, 4, 11);
    int[] textToImage = {0, 3};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetrievalMetrics.evaluate(images, texts, textToImage));
    assertTrue(e.getMessage().contains("textToImage[1] = 3"), e.getMessage());
  }

  @Test
  void evaluate_withWrongMappingLength_throws() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(3, 4, 12);
    EmbeddingMatrix texts = RandomEmbeddings.gaussian(2, 4, 13);
    int[] textToImage = {0};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetrievalMetrics.evaluate(images, texts, textToImage));
    assertTrue(e.getMessage().contains("has 1 entries but there are 2 texts"), e.getMessage());
  }

  @Test
  void evaluate_withDifferentDimensions_namesBoth() {
    EmbeddingMatrix images = RandomEmbeddings.gaussian(3, 4, 14);
    EmbeddingMatrix texts = RandomEmbeddings.gaussian(2, 5, 15);
    int[] textToImage = {0, 1};
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetrievalMetrics.evaluate(images, texts, textToImage));
    assertEquals("embedding dimensions differ: images = 4, texts = 5", e.getMessage());
  }

  @Test
  void fromRanks_computesRecallsMeanAndMedian() {
    assertMetrics(RankMetrics.fromRanks(new int[] {1, 6, 11, 2}), 0.25, 0.5, 0.75, 5, 4, 4);
    assertMetrics(RankMetrics.fromRanks(new int[] {3, 1, 20}), 1 / 3.0, 2 / 3.0, 2 / 3.0, 8, 3, 3);
  }

  @Test
  void fromRanks_withRankZero_namesIndex() {
    int[] ranks = {1, 0};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RankMetrics.fromRanks(ranks));
    assertEquals("rank 1 is 0; ranks are 1-based", e.getMessage());
  }
}
