package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Whitening;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 8: the trainer used to check only the dimension of the image embeddings, so
 * embeddings of one tower could be saved as a model that claims another. The identity now travels
 * from the store through {@link PairedEmbeddings} (and through whitening) into the trainer, which
 * refuses a mismatch before any step.
 */
class TrainerIdentityTest {
  private static final int D = 16;
  private static final int IMAGES = 8;

  @TempDir Path tmp;
  private final TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);

  @AfterEach
  void closeTower() {
    text.close();
  }

  /** A real store of {@value #IMAGES} solid-colour PNGs embedded by {@code tower}. */
  private PairedEmbeddings storePairs(ColourImageTower tower) throws IOException {
    Path images = Files.createDirectories(tmp.resolve("images"));
    List<String> manifest = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      int rgb = ((37 * i + 20) << 16) | ((91 * i + 5) % 256 << 8) | ((53 * i + 200) % 256);
      ImageIO.write(ColourImageTower.solid(rgb, 8), "png", images.resolve(i + ".png").toFile());
      String word = TrainerFixtures.CLASSES.get(i);
      manifest.add(
          "{\"path\": \"" + i + ".png\", \"id\": \"" + i + "\", \"caption\": \"a " + word + "\"}");
    }
    Path manifestFile = Files.write(images.resolve("pairs.jsonl"), manifest);
    Path store = tmp.resolve("store");
    EmbeddingStoreBuilder.builder(manifestFile, store, tower).build();
    try (EmbeddingStore s = EmbeddingStore.open(store, tower.identity())) {
      return PairedEmbeddings.fromStore(s, manifestFile);
    }
  }

  private static TrainerConfig twoSteps(Path out) {
    return TrainerConfig.builder(out).batchSize(4).steps(2).seed(3).build();
  }

  private static boolean isEmptyOrAbsent(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.findAny().isEmpty();
    }
  }

  @Test
  void train_onAStoreBuiltByAnotherTower_refusesBeforeAnyStepNamingBothIdentities()
      throws IOException {
    PairedEmbeddings pairs = storePairs(ColourImageTower.seeded(D, 2));
    LockedImageTower other = new LockedImageTower(D, 1);
    Path out = tmp.resolve("run");
    try (PyTorchContrastiveTrainer trainer =
        PyTorchContrastiveTrainer.builder(text, other, twoSteps(out)).build()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> trainer.train(pairs));
      String m = e.getMessage();
      assertTrue(m.contains("computed by tower " + pairs.imageIdentity().get().describe()), m);
      assertTrue(m.contains("the trainer's image tower is " + other.identity().describe()), m);
      assertTrue(m.contains("Give the trainer the tower that built the embeddings"), m);
    }
    assertTrue(isEmptyOrAbsent(out), "nothing was written before the refusal");
  }

  @Test
  void train_onAStoreBuiltByTheTrainersTower_savesAModelNamingThatTower() throws IOException {
    PairedEmbeddings pairs = storePairs(ColourImageTower.seeded(D, 2));
    LockedImageTower same = new LockedImageTower(D, 2);
    assertEquals(pairs.imageIdentity().orElseThrow(), same.identity());
    TrainingResult result;
    try (PyTorchContrastiveTrainer trainer =
        PyTorchContrastiveTrainer.builder(text, same, twoSteps(tmp.resolve("run"))).build()) {
      result = trainer.train(pairs);
    }
    try (LitModel model = LitModel.load(result.modelDirectory())) {
      assertEquals(same.identity(), model.imageTower().identity());
    }
  }

  @Test
  void train_whitenedPairsOfTheInnerTower_savesAModelNamingTheWhitenedTower() throws IOException {
    LockedImageTower inner = new LockedImageTower(D, 7);
    PairedEmbeddings raw = innerPairs(inner);
    try (WhitenedImageTower whitened =
        WhitenedImageTower.of(inner, Whitening.fit(raw.images(), D, 1e-3))) {
      PairedEmbeddings pairs = raw.whitened(whitened);
      assertEquals(whitened.identity(), pairs.imageIdentity().orElseThrow());
      TrainingResult result;
      try (PyTorchContrastiveTrainer trainer =
          PyTorchContrastiveTrainer.builder(text, whitened, twoSteps(tmp.resolve("run"))).build()) {
        result = trainer.train(pairs);
      }
      try (LitModel model = LitModel.load(result.modelDirectory())) {
        assertEquals(whitened.identity(), model.imageTower().identity());
      }
    }
  }

  @Test
  void train_innerPairsNotWhitened_withTheWhitenedTower_refusesNamingBothIdentities()
      throws IOException {
    LockedImageTower inner = new LockedImageTower(D, 7);
    PairedEmbeddings raw = innerPairs(inner);
    Path out = tmp.resolve("run");
    // Full-rank whitening: the dimension stays D, so only the identity tells the spaces apart.
    try (WhitenedImageTower whitened =
            WhitenedImageTower.of(inner, Whitening.fit(raw.images(), D, 1e-3));
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, whitened, twoSteps(out)).build()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> trainer.train(raw));
      assertTrue(e.getMessage().contains(inner.identity().describe()), e.getMessage());
      assertTrue(e.getMessage().contains(whitened.identity().describe()), e.getMessage());
      assertTrue(e.getMessage().contains("pairs.whitened(tower)"), e.getMessage());
    }
    assertTrue(isEmptyOrAbsent(out), "nothing was written before the refusal");
  }

  @Test
  void train_whitenedPairs_withTheInnerTower_refusesNamingBothIdentities() throws IOException {
    LockedImageTower inner = new LockedImageTower(D, 7);
    PairedEmbeddings raw = innerPairs(inner);
    try (WhitenedImageTower whitened =
            WhitenedImageTower.of(inner, Whitening.fit(raw.images(), D, 1e-3));
        PyTorchContrastiveTrainer trainer =
            PyTorchContrastiveTrainer.builder(text, inner, twoSteps(tmp.resolve("run"))).build()) {
      PairedEmbeddings pairs = raw.whitened(whitened);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> trainer.train(pairs));
      assertTrue(e.getMessage().contains(whitened.identity().describe()), e.getMessage());
      assertTrue(e.getMessage().contains(inner.identity().describe()), e.getMessage());
    }
  }

  /**
   * Full-rank synthetic embeddings (40 × {@value #D}) declared to be {@code inner}'s, as a store
   * built with it would declare them.
   */
  private static PairedEmbeddings innerPairs(LockedImageTower inner) {
    PairedEmbeddings synthetic =
        TrainerFixtures.pairs(TrainerFixtures.prototypes(4, D, 1), 40, 0.5, 2);
    return synthetic.withImages(synthetic.images(), inner.identity());
  }
}
