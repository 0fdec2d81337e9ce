package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressMetric;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerValidationTest {
  private static final int D = 16;

  @TempDir Path dir;
  private final TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
  private final PairedEmbeddings data =
      TrainerFixtures.pairs(TrainerFixtures.prototypes(4, D, 1), 40, 0.5, 2);

  @AfterEach
  void closeTower() {
    text.close();
  }

  @Test
  void train_withBatchLargerThanTheData_throwsNamingBoth() {
    TrainerConfig config = TrainerConfig.builder(dir).batchSize(64).build();
    try (PyTorchContrastiveTrainer t =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config).build()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> t.train(data));
      assertTrue(
          e.getMessage().contains("batch size 64") && e.getMessage().contains("data set size 40"),
          e.getMessage());
    }
  }

  @Test
  void build_withTowersOfDifferentDimensions_throwsNamingBoth() {
    TrainerConfig config = TrainerConfig.builder(dir).build();
    PyTorchContrastiveTrainer.Builder b =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(24, 1), config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("image tower = 24, text tower = 16"), e.getMessage());
  }

  @Test
  void train_withDataOfAnotherDimension_throwsNamingBoth() {
    PairedEmbeddings other = TrainerFixtures.pairs(TrainerFixtures.prototypes(4, 8, 1), 40, 0.5, 2);
    TrainerConfig config = TrainerConfig.builder(dir).batchSize(8).build();
    try (PyTorchContrastiveTrainer t =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config).build()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> t.train(other));
      assertTrue(
          e.getMessage().contains("dimension 8") && e.getMessage().contains("16"), e.getMessage());
    }
  }

  @Test
  void build_onAMissingGpu_throwsNamingIt() {
    TrainerConfig config = TrainerConfig.builder(dir).build();
    PyTorchContrastiveTrainer.Builder b =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config)
            .device(ComputeDevice.gpu(7));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("GPU 7"), e.getMessage());
  }

  @Test
  void train_afterClose_throws() {
    TrainerConfig config = TrainerConfig.builder(dir).batchSize(8).build();
    PyTorchContrastiveTrainer t =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config)
            .device(ComputeDevice.cpu())
            .build();
    t.close();
    t.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(data));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void train_reportsStepsLossAndThroughputToTheProgressListener() throws Exception {
    List<Progress> updates = new ArrayList<>();
    List<Progress> finals = new ArrayList<>();
    ProgressListener recorder =
        new ProgressListener() {
          @Override
          public void onUpdate(Progress progress) {
            updates.add(progress);
          }

          @Override
          public void onFinish(Progress progress) {
            finals.add(progress);
          }
        };
    TrainerConfig config = TrainerConfig.builder(dir).batchSize(8).steps(3).build();
    try (PyTorchContrastiveTrainer t =
        PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 1), config)
            .progress(recorder)
            .build()) {
      t.train(data);
    }
    assertEquals(3, updates.size());
    assertEquals(1, finals.size());
    assertEquals(3, finals.get(0).done());
    assertEquals(3, finals.get(0).total());
    List<String> names = updates.get(2).metrics().stream().map(ProgressMetric::name).toList();
    assertEquals(List.of("loss", "pairs/s"), names);
  }
}
