package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.training.PairedEmbeddings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingCorpusTest {

  /** Four rows: a fox in two styles plus a view, and a pear; row i embeds as basis vector i. */
  private static TrainingCorpus corpus() {
    float[] identity = new float[16];
    for (int i = 0; i < 4; i++) {
      identity[i * 4 + i] = 1;
    }
    EmbeddingMatrix images = EmbeddingMatrix.normalising(FloatMatrix.wrap(4, 4, identity));
    PairedEmbeddings pairs =
        new PairedEmbeddings(
            images, List.of(List.of("fox"), List.of("fox"), List.of("fox"), List.of("pear")));
    return new TrainingCorpus(
        pairs,
        List.of(
            new TrainingRow(TrainingSource.EMOJI_GOOGLE, "1f98a.png", "1F98A", "animal mammal"),
            new TrainingRow(TrainingSource.OPENMOJI, "1F98A.png", "1F98A", "animal mammal"),
            new TrainingRow(TrainingSource.OPENMOJI, "1F98A.png#v0", "1F98A", "animal mammal"),
            new TrainingRow(TrainingSource.OPENMOJI, "1F350.png", "1F350", "food fruit")));
  }

  @Test
  void select_keepsMatchingRowsWithTheirEmbeddingsAndCaptions() {
    TrainingCorpus openmoji = corpus().select(r -> r.source() == TrainingSource.OPENMOJI);
    assertEquals(3, openmoji.size());
    assertEquals("1F98A.png#v0", openmoji.rows().get(1).id());
    assertArrayEquals(new float[] {0, 0, 1, 0}, openmoji.pairs().images().matrix().row(1));
    assertEquals(List.of("pear"), openmoji.pairs().captions().get(2));
  }

  @Test
  void splitByGroup_leavesNoGroupOnBothSides() {
    TrainingCorpus all = corpus();
    TrainingCorpus train = all.select(r -> !r.group().equals("1F98A"));
    TrainingCorpus validation = all.select(r -> r.group().equals("1F98A") && !r.isView());
    assertEquals(Set.of("1F350"), train.groups());
    assertEquals(Set.of("1F98A"), validation.groups());
    assertEquals(2, validation.size());
  }

  @Test
  void zeroShotSet_hasOneClassPerCategory_sortedByName() {
    ZeroShotSet set = corpus().zeroShotSet();
    assertEquals(List.of("animal mammal", "food fruit"), set.classNames());
    assertArrayEquals(new int[] {0, 0, 0, 1}, set.trueClasses());
  }

  @Test
  void row_knowsItsViewsAndBaseImage() {
    TrainingRow view = corpus().rows().get(2);
    assertTrue(view.isView());
    assertEquals("1F98A.png", view.baseId());
  }

  @Test
  void constructor_withMismatchedCounts_namesBoth() {
    TrainingCorpus c = corpus();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingCorpus(c.pairs(), c.rows().subList(0, 3)));
    assertTrue(e.getMessage().contains("4 pairs, 3 row"), e.getMessage());
  }
}
