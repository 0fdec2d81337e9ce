package dev.lit4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.loss.LossKind;
import dev.lit4j.spi.DefaultModelProvider;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.testing.HashingTextTower;
import dev.lit4j.zeroshot.PromptTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelsTest {
  private static final ScoreCalibration CALIBRATION =
      new ScoreCalibration(LossKind.SOFTMAX, 12.5, 0);

  @TempDir Path tmp;

  /** A provider that hands out a fixed directory. */
  private record FixedProvider(Path directory) implements DefaultModelProvider {
    @Override
    public Path modelDirectory() {
      return directory;
    }
  }

  /** A second provider class, to tell two providers apart by name. */
  private record OtherProvider(Path directory) implements DefaultModelProvider {
    @Override
    public Path modelDirectory() {
      return directory;
    }
  }

  @Test
  void loadDefault_withNoProviderOnTheClassPath_namesTheMavenArtifactToAdd() {
    // lit-core's own test class path holds no DefaultModelProvider.
    IllegalStateException e = assertThrows(IllegalStateException.class, LitModel::loadDefault);
    String message = e.getMessage();
    assertTrue(
        message.matches("(?s).*dev\\.lit4j:lit-default-model:\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, .*"),
        message);
    assertFalse(message.contains("${"), "unfiltered Maven property: " + message);
    assertTrue(message.contains("LitModel.load(Path)"), message);
  }

  @Test
  void artifactCoordinates_nameGroupArtifactAndThisBuildsVersion() {
    assertTrue(
        DefaultModels.artifactCoordinates()
            .matches("dev\\.lit4j:lit-default-model:\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
        DefaultModels.artifactCoordinates());
  }

  @Test
  void find_withTwoProviders_failsNamingBoth() {
    List<DefaultModelProvider> two =
        List.of(new FixedProvider(tmp), new OtherProvider(tmp.resolve("other")));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DefaultModels.find(two));
    String message = e.getMessage();
    assertTrue(message.startsWith("2 default model providers on the class path"), message);
    assertTrue(message.contains(FixedProvider.class.getName()), message);
    assertTrue(message.contains(OtherProvider.class.getName()), message);
    assertTrue(message.contains("keep exactly one"), message);
  }

  @Test
  void load_withOneProvider_loadsTheDirectoryItSuppliesWithItsTemplates() throws IOException {
    Path dir = tmp.resolve("model");
    PromptTemplates templates = PromptTemplates.of("a drawing of a {}.");
    try (LitModel m =
        LitModel.of(
            ColourImageTower.seeded(8, 5), new HashingTextTower(8, 5), CALIBRATION, templates)) {
      m.save(dir);
    }
    try (LitModel loaded =
        DefaultModels.load(List.of(new FixedProvider(dir)), TowerFormats.fromServiceLoader())) {
      assertEquals(CALIBRATION, loaded.calibration());
      assertEquals(8, loaded.dimension());
      assertEquals(Optional.of(templates), loaded.promptTemplates());
    }
  }

  @Test
  void load_whenTheProviderReturnsNull_namesTheProvider() {
    List<DefaultModelProvider> providers = List.of(new FixedProvider(null));
    TowerFormats formats = TowerFormats.fromServiceLoader();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DefaultModels.load(providers, formats));
    assertTrue(e.getMessage().contains(FixedProvider.class.getName()), e.getMessage());
  }
}
