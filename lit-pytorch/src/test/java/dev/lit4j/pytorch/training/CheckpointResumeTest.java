package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.loss.LossKind;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointResumeTest {
  private static final int D = 16;

  @TempDir Path dir;

  private final PairedEmbeddings data =
      TrainerFixtures.pairs(TrainerFixtures.prototypes(8, D, 21), 64, 0.8, 22);

  private TrainerConfig config(Path out) {
    // Sigmoid with a chunked loss, so the bias and its moments are part of what must resume.
    return TrainerConfig.builder(out)
        .loss(LossKind.SIGMOID)
        .lossChunkSize(6)
        .batchSize(16)
        .steps(8)
        .warmupSteps(2)
        .seed(4)
        .checkpointEvery(3)
        .build();
  }

  /**
   * A process killed while writing a checkpoint leaves its staging directory; the next trainer on
   * the directory removes it, but not the staging of a writer that is still running (here: this
   * process, as another trainer in the same JVM would be).
   */
  @Test
  void train_removesStagingLeftByAKilledWriter_andKeepsThatOfALiveOne() throws Exception {
    TrainerConfig config = config(dir.resolve("run"));
    Path checkpoints = Files.createDirectories(config.checkpointDirectory());
    Path dead = staging(checkpoints, "step-000000003", exitedProcess());
    Path live = staging(checkpoints, "step-000000099", ProcessHandle.current());
    Path model = staging(config.outputDirectory(), "model", exitedProcess());
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), config).build()) {
      t.train(data);
    }
    assertFalse(Files.exists(dead), dead + " was left behind");
    assertFalse(Files.exists(model), model + " was left behind");
    assertTrue(Files.exists(live.resolve(Checkpoint.WEIGHTS_FILE)), "a live writer's staging");
  }

  /** A half-written checkpoint as {@code process} would stage it (see AtomicDirectory). */
  private static Path staging(Path parent, String name, ProcessHandle process) throws Exception {
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    Path d =
        Files.createDirectory(
            parent.resolve("." + name + ".tmp-" + process.pid() + "-" + start + "-x7"));
    Files.writeString(d.resolve(Checkpoint.WEIGHTS_FILE), "partial");
    return d;
  }

  /** A process that has exited: a JVM that printed its version. */
  private static ProcessHandle exitedProcess() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(java, "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(0, p.waitFor());
    return p.toHandle();
  }

  /** One replica, and two replicas on the CPU (the data-parallel path is deterministic too). */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void resume_reproducesTheUninterruptedLossCurveBitForBit(int replicas) throws Exception {
    List<ComputeDevice> devices = Collections.nCopies(replicas, ComputeDevice.cpu());
    TrainerConfig straight = config(dir.resolve("straight"));
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), straight)
                .devices(devices)
                .build()) {
      t.train(data);
    }

    TrainerConfig interrupted = config(dir.resolve("interrupted"));
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), interrupted)
                .devices(devices)
                .progress(new CrashAt(5))
                .build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(data));
      assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
    }
    Path checkpoint =
        PyTorchContrastiveTrainer.latestCheckpoint(interrupted.checkpointDirectory()).orElseThrow();
    assertEquals("step-000000003", checkpoint.getFileName().toString());

    // A differently initialised tower: everything must come from the checkpoint.
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 12345);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), interrupted)
                .devices(devices)
                .resumeFrom(checkpoint)
                .build()) {
      t.train(data);
    }

    List<StepMetrics> expected = MetricsLog.read(straight.metricsFile()).steps();
    List<StepMetrics> actual = MetricsLog.read(interrupted.metricsFile()).steps();
    assertEquals(8, expected.size());
    assertEquals(8, actual.size(), "the resumed log continues at step 4 without duplicates");
    for (int i = 0; i < 8; i++) {
      assertEquals(expected.get(i).step(), actual.get(i).step());
      // Exact equality is the point: the same bits, not merely close values.
      assertEquals(expected.get(i).loss(), actual.get(i).loss(), 0.0, "loss at step " + (i + 1));
      assertEquals(expected.get(i).temperature(), actual.get(i).temperature(), 0.0);
      assertEquals(expected.get(i).bias(), actual.get(i).bias(), 0.0);
      assertEquals(expected.get(i).gradientNorm(), actual.get(i).gradientNorm(), 0.0);
    }
  }

  @Test
  void resume_withDifferentConfiguration_failsNamingTheFields() throws Exception {
    TrainerConfig first = config(dir.resolve("a"));
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), first).build()) {
      t.train(data);
    }
    Path checkpoint =
        PyTorchContrastiveTrainer.latestCheckpoint(first.checkpointDirectory()).orElseThrow();
    TrainerConfig changed = first.toBuilder().learningRate(5e-4).seed(8).build();
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), changed)
                .resumeFrom(checkpoint)
                .build()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> t.train(data));
      assertTrue(
          e.getMessage().contains("learningRate: checkpoint 0.001, now 5.0E-4"), e.getMessage());
      assertTrue(e.getMessage().contains("seed: checkpoint 4, now 8"), e.getMessage());
    }
  }

  @Test
  void train_withNaNLoss_stopsNamingTheStep_andKeepsTheLastGoodCheckpoint() throws Exception {
    TrainerConfig config = config(dir.resolve("nan"));
    AtomicInteger calls = new AtomicInteger();
    BatchLoss real = BatchLoss.of(config.loss(), config.lossChunkSize());
    BatchLoss failingAtStep5 =
        (x, y, logT, b) -> {
          ai.djl.ndarray.NDArray v = real.value(x, y, logT, b);
          return calls.incrementAndGet() == 5 ? v.mul(Float.NaN) : v;
        };
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), config)
                .loss(failingAtStep5)
                .build()) {
      NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.train(data));
      assertTrue(e.getMessage().contains("step 5"), e.getMessage());
    }
    Path checkpoint =
        PyTorchContrastiveTrainer.latestCheckpoint(config.checkpointDirectory()).orElseThrow();
    assertEquals("step-000000003", checkpoint.getFileName().toString());
    assertEquals(3, Checkpoint.read(checkpoint).state().step());
    // The checkpoint is intact: training resumes from it and finishes.
    try (TransformerTextTower text = TrainerFixtures.tinyTower(D, 1);
        PyTorchContrastiveTrainer t =
            PyTorchContrastiveTrainer.builder(text, new LockedImageTower(D, 9), config)
                .resumeFrom(checkpoint)
                .build()) {
      assertEquals(8, t.train(data).steps());
    }
    List<StepMetrics> steps = MetricsLog.read(config.metricsFile()).steps();
    assertEquals(8, steps.size());
    assertTrue(steps.stream().allMatch(s -> Double.isFinite(s.loss())));
  }
}
