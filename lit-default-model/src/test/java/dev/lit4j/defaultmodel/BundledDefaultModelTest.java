package dev.lit4j.defaultmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.defaultmodel.internal.ModelIndex;
import dev.lit4j.model.LitModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledDefaultModelTest {
  @TempDir Path tmp;

  @Test
  void cacheBases_withTheProperty_useOnlyTheDirectoryItNames() {
    assertEquals(
        List.of(Path.of("/data/cache/default-model")),
        BundledDefaultModel.cacheBases("/data/cache"));
  }

  @Test
  void cacheBases_withoutTheProperty_preferTheHomeCacheThenAPerUserTempDirectory() {
    List<Path> bases = BundledDefaultModel.cacheBases(null);
    assertEquals(
        List.of(
            Path.of(System.getProperty("user.home"), ".cache", "lit4j", "default-model"),
            Path.of(
                System.getProperty("java.io.tmpdir"),
                "lit4j-cache-" + System.getProperty("user.name"),
                "default-model")),
        bases);
  }

  @Test
  void materialise_whenTheFirstCacheCannotBeCreated_fallsBackToTheNext() throws IOException {
    // A regular file where a directory should be stops even root, whom permissions do not.
    Path blocked = Files.writeString(tmp.resolve("home-is-a-file"), "");
    Path fallback = tmp.resolve("tmp/default-model");
    Path dir = BundledDefaultModel.materialise(List.of(blocked.resolve("default-model"), fallback));
    assertEquals(fallback, dir.getParent());
    assertTrue(BundledDefaultModel.bundledIndex().isCompleteAt(dir));
  }

  @Test
  void materialise_whenNoCacheCanBeCreated_namesEachAndTheProperty() throws IOException {
    Path blocked = Files.writeString(tmp.resolve("a-file"), "");
    List<Path> bases = List.of(blocked.resolve("one"), blocked.resolve("two"));
    IOException e = assertThrows(IOException.class, () -> BundledDefaultModel.materialise(bases));
    assertTrue(e.getMessage().contains(bases.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("-Dlit4j.cache.dir="), e.getMessage());
    assertEquals(1, e.getCause().getSuppressed().length, "the second failure is kept too");
  }

  @Test
  void modelDirectory_withAFileDeletedFromTheCache_reExtractsInsteadOfLoadingIt()
      throws IOException {
    List<Path> bases = List.of(tmp.resolve("default-model"));
    Path dir = BundledDefaultModel.materialise(bases);
    ModelIndex index = BundledDefaultModel.bundledIndex();
    ModelIndex.Entry largest =
        index.entries().stream().max(Comparator.comparingLong(ModelIndex.Entry::size)).get();
    Files.delete(largest.resolveIn(dir));

    assertEquals(dir, BundledDefaultModel.materialise(bases));

    assertEquals(largest.size(), Files.size(largest.resolveIn(dir)));
    try (LitModel model = LitModel.load(dir)) {
      assertTrue(model.dimension() > 0);
    }
  }
}
