package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochPlanTest {
  private static PairedEmbeddings data(int n) {
    float[] v = new float[n * 2];
    List<List<String>> captions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v[2 * i] = 1;
      v[2 * i + 1] = i;
      captions.add(List.of("a " + i, "b " + i, "c " + i));
    }
    return new PairedEmbeddings(EmbeddingMatrix.normalising(FloatMatrix.wrap(n, 2, v)), captions);
  }

  private static int[] order(EpochPlan plan, int n) {
    return plan.batch(0, n).imageIndices();
  }

  @Test
  void of_isAPermutation_determinedBySeedAndEpoch() {
    PairedEmbeddings d = data(50);
    int[] a = order(EpochPlan.of(7, 3, d), 50);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    int[] identity = new int[50];
    Arrays.setAll(identity, i -> i);
    assertArrayEquals(identity, sorted);
    assertArrayEquals(a, order(EpochPlan.of(7, 3, d), 50));
    assertFalse(Arrays.equals(a, order(EpochPlan.of(7, 4, d), 50)), "epochs differ");
    assertFalse(Arrays.equals(a, order(EpochPlan.of(8, 3, d), 50)), "seeds differ");
  }

  @Test
  void batch_drawsOneCaptionOfEachImage_andVariesAcrossEpochs() {
    PairedEmbeddings d = data(60);
    Set<String> seen = new HashSet<>();
    for (int epoch = 0; epoch < 40; epoch++) {
      EpochPlan.Batch b = EpochPlan.of(1, epoch, d).batch(0, 60);
      for (int k = 0; k < 60; k++) {
        int image = b.imageIndices()[k];
        assertTrue(d.captions().get(image).contains(b.captions().get(k)));
        seen.add(b.captions().get(k));
      }
    }
    assertEquals(180, seen.size(), "every caption is drawn at some epoch");
  }

  @Test
  void batchCount_dropsThePartialBatch() {
    assertEquals(3, EpochPlan.of(0, 0, data(50)).batchCount(16));
  }
}
