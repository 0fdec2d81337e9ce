package dev.lit4j.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.loss.LossKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
  private static final Path OUT = Path.of("run");

  @Test
  void build_defaults_matchTheReferenceImplementations() {
    TrainerConfig c = TrainerConfig.builder(OUT).build();
    assertEquals(LossKind.SOFTMAX, c.loss());
    assertEquals(1e-3, c.learningRate());
    assertEquals(1.0, c.gradientClipNorm());
    assertEquals(10.0, c.initialTemperature());
    assertEquals(100.0, c.maxTemperature());
    assertEquals(-10.0, c.initialBias());
    assertEquals(0, c.lossChunkSize());
    assertEquals(ImageHead.NONE, c.imageHead());
    assertEquals(OUT.resolve("checkpoints"), c.checkpointDirectory());
    assertEquals(OUT.resolve("model"), c.modelDirectory());
  }

  @Test
  void resolvedWarmupSteps_defaultIsMaxOf3PercentAnd100_cappedAtTheRun() {
    TrainerConfig c = TrainerConfig.builder(OUT).build();
    assertEquals(100, c.resolvedWarmupSteps(1000));
    assertEquals(300, c.resolvedWarmupSteps(10_000));
    assertEquals(40, c.resolvedWarmupSteps(40));
    assertEquals(7, TrainerConfig.builder(OUT).warmupSteps(7).build().resolvedWarmupSteps(1000));
  }

  @Test
  void totalSteps_ofEpochs_dropsThePartialBatch() {
    TrainerConfig c = TrainerConfig.builder(OUT).batchSize(32).epochs(3).build();
    assertEquals(3 * (100 / 32), c.totalSteps(100));
    assertEquals(17, TrainerConfig.builder(OUT).batchSize(32).steps(17).build().totalSteps(100));
  }

  @Test
  void totalSteps_withBatchLargerThanData_throwsNamingBoth() {
    TrainerConfig c = TrainerConfig.builder(OUT).batchSize(512).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.totalSteps(300));
    assertTrue(e.getMessage().contains("512") && e.getMessage().contains("300"), e.getMessage());
  }

  @Test
  void build_withBadValues_namesEveryOne() {
    TrainerConfig.Builder b =
        TrainerConfig.builder(OUT).batchSize(1).learningRate(-0.5).lossChunkSize(-3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(
        e.getMessage().contains("batchSize") && e.getMessage().contains("1"), e.getMessage());
    assertTrue(e.getMessage().contains("-0.5"), e.getMessage());
    assertTrue(
        e.getMessage().contains("lossChunkSize") && e.getMessage().contains("-3"), e.getMessage());
  }

  @Test
  void build_withInitialTemperatureAboveClamp_throws() {
    TrainerConfig.Builder b = TrainerConfig.builder(OUT).temperature(200, 100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(
        e.getMessage().contains("200.0") && e.getMessage().contains("100.0"), e.getMessage());
  }

  @Test
  void steps_zero_throwsNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(OUT).steps(0));
    assertTrue(e.getMessage().contains("got 0"), e.getMessage());
  }

  @Test
  void differencesFrom_namesOnlyTrajectoryFields() {
    TrainerConfig a = TrainerConfig.builder(OUT).batchSize(64).seed(1).build();
    TrainerConfig b =
        a.toBuilder().batchSize(128).learningRate(5e-4).checkpointEvery(7).evalEvery(3).build();
    List<String> diffs = b.differencesFrom(a.trajectoryFingerprint());
    assertEquals(2, diffs.size(), diffs.toString());
    assertTrue(diffs.get(0).startsWith("batchSize: checkpoint 64, now 128"), diffs.toString());
    assertTrue(diffs.get(1).startsWith("learningRate"), diffs.toString());
    assertNotEquals(a.fingerprintHash(), b.fingerprintHash());
    TrainerConfig c = a.toBuilder().checkpointEvery(9).build();
    assertEquals(a.fingerprintHash(), c.fingerprintHash());
    assertTrue(c.differencesFrom(a.trajectoryFingerprint()).isEmpty());
  }
}
