package dev.lit4j.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

  @Test
  void drainBestFirst_equalsSortingAllOffersWhateverTheirOrder() {
    Random random = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + random.nextInt(200);
      int k = 1 + random.nextInt(20);
      List<Hit> all = new ArrayList<>();
      TopK topK = new TopK(k);
      for (int i = 0; i < n; i++) {
        // Few distinct scores so that ties are common.
        double score = random.nextInt(10) / 10.0;
        all.add(new Hit(i, score));
      }
      List<Hit> shuffled = new ArrayList<>(all);
      java.util.Collections.shuffle(shuffled, random);
      for (Hit h : shuffled) {
        topK.offer(h.score(), h.index());
      }
      all.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparingInt(Hit::index));
      assertEquals(all.subList(0, Math.min(k, n)), topK.drainBestFirst(), "trial " + trial);
    }
  }
}
