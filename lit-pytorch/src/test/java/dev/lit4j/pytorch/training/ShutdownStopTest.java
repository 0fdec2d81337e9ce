package dev.lit4j.pytorch.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.weights.Safetensors;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrajectoryFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during training, in a real child JVM on the real engine: the trainer stops at a step
 * boundary, writes a checkpoint, and lets the JVM exit with the conventional status instead of
 * crashing in libtorch.
 */
class ShutdownStopTest {
  private static final long START_TIMEOUT_S = 180;
  private static final long EXIT_TIMEOUT_S = 90;

  @TempDir Path dir;

  /**
   * Starts {@link TrainUntilSignalledMain} with {@code trainer}, sends SIGTERM once it has trained
   * a step, and checks that it exited with 143 and without a crash log.
   *
   * @return the child's standard error
   */
  private String trainThenSigterm(String trainer, Path run) throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                TrainUntilSignalledMain.class.getName(),
                trainer,
                run.toString())
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process child = pb.start();
    try {
      awaitLine(child, out, TrainUntilSignalledMain.STARTED, err);
      child.destroy(); // SIGTERM on Linux
      assertTrue(
          child.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS),
          "the child did not exit within " + EXIT_TIMEOUT_S + " s of SIGTERM");
    } finally {
      child.destroyForcibly();
    }
    String stderr = Files.readString(err);
    assertEquals(143, child.exitValue(), "exit status after SIGTERM; stderr:\n" + stderr);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> crashLogs =
          files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
      assertTrue(crashLogs.isEmpty(), "the JVM crashed: " + crashLogs + "\n" + stderr);
    }
    return stderr;
  }

  @Test
  void sigterm_duringTraining_writesACheckpointThatResumes_andExitsWith143_withoutACrashLog()
      throws Exception {
    Path run = dir.resolve("run");
    String stderr = trainThenSigterm(TrainUntilSignalledMain.EMBEDDINGS, run);

    TrainerConfig config = TrainUntilSignalledMain.config(run);
    Optional<Path> latest =
        PyTorchContrastiveTrainer.latestCheckpoint(config.checkpointDirectory());
    assertTrue(
        latest.isPresent(), "no checkpoint in " + config.checkpointDirectory() + "\n" + stderr);
    assertTrue(
        stderr.contains("training stopped after step")
            && stderr.contains(latest.get().toString())
            && stderr.contains("resumeFrom"),
        "stderr should say where the checkpoint is and how to resume:\n" + stderr);

    // Resume: the trainer's own restore path accepts the checkpoint for this configuration.
    Checkpoint checkpoint = Checkpoint.read(latest.get());
    int total = config.schedule(TrainUntilSignalledMain.data().size()).totalSteps();
    try (TransformerTextTower text = TrainerFixtures.tinyTower(TrainUntilSignalledMain.D, 1);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        ContrastiveStep step =
            new ContrastiveStep(
                config,
                new TransformerTrainable(text),
                TrainUntilSignalledMain.D,
                BatchLoss.of(config.loss(), config.lossChunkSize()),
                manager);
        AdamW adam = AdamW.of(config, manager)) {
      int resumedAt =
          checkpoint.restore(
              new TrajectoryFingerprint(config.trajectoryFingerprint()),
              total,
              step.parameters(),
              List.of(),
              adam);
      assertTrue(resumedAt >= 1, "the checkpoint holds step " + resumedAt);
      assertEquals(resumedAt, adam.steps(), "optimiser steps restored");
    }
  }

  @Test
  void sigterm_duringRawImageTraining_writesACheckpointWithTheMovingStatistics_andExitsWith143()
      throws Exception {
    Path run = dir.resolve("raw");
    String stderr = trainThenSigterm(TrainUntilSignalledMain.RAW_IMAGE, run);
    TrainerConfig config = TrainUntilSignalledMain.config(run);
    Optional<Path> latest = RawImageTrainer.latestCheckpoint(config.checkpointDirectory());
    assertTrue(
        latest.isPresent(), "no checkpoint in " + config.checkpointDirectory() + "\n" + stderr);
    assertTrue(
        stderr.contains("training stopped after step")
            && stderr.contains(latest.get().toString())
            && stderr.contains("RawImageTrainer.builder"),
        "stderr should say where the checkpoint is and how to resume:\n" + stderr);
    Checkpoint checkpoint = Checkpoint.read(latest.get());
    assertTrue(checkpoint.state().step() >= 1, "the checkpoint holds step " + checkpoint.state());
    assertEquals("UNLOCKED", checkpoint.state().fingerprint().get("image.training"));
    assertEquals(
        80,
        Safetensors.read(latest.get().resolve(Checkpoint.BUFFERS_FILE)).size(),
        "the 40 batch norms' moving means and variances");
  }

  /** Waits until {@code file} holds {@code line}, failing early if the child exits. */
  private static void awaitLine(Process child, Path file, String line, Path err)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
    while (System.nanoTime() < deadline) {
      if (Files.readString(file).contains(line)) {
        return;
      }
      if (!child.isAlive()) {
        fail("the child exited with " + child.exitValue() + ":\n" + Files.readString(err));
      }
      Thread.sleep(100);
    }
    fail("the child did not print '" + line + "' within " + START_TIMEOUT_S + " s");
  }
}
