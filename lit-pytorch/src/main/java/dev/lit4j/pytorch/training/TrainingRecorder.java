package dev.lit4j.pytorch.training;

import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressMetric;
import dev.lit4j.progress.ProgressTracker;
import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.StepMetrics;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingInterruptedException;
import dev.lit4j.training.TrajectoryFingerprint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PyTorchContrastiveTrainer} and {@link RawImageTrainer} do around their steps, so that
 * both record, checkpoint, resume and stop alike: restore the checkpoint a run resumes from, append
 * each step's {@link StepMetrics} to {@link TrainerConfig#metricsFile()} and advance the progress,
 * write a {@link Checkpoint} every {@link TrainerConfig#checkpointEvery()} steps, at the end and
 * when the JVM shuts down, and tell the user how to resume.
 *
 * <p>Use: {@link #resume} (optional), {@link #open}, then per step {@link #stopIfRequested} and
 * {@link #record}, then {@link #finish}; {@link #close} in every case. Borrows the step and the
 * optimiser. Not thread-safe.
 */
final class TrainingRecorder implements AutoCloseable {
  /**
   * What a trainer's checkpoints hold and how its user resumes.
   *
   * @param config the run's configuration (outputs and checkpoint interval)
   * @param fingerprint the run's trajectory fingerprint, stored in each checkpoint
   * @param buffers tensors not trained by gradient that a checkpoint keeps (none: no buffers file),
   *     named as parameters are; only their names and arrays are used
   * @param trainer the trainer's class name, for the resume instructions
   * @param builderArguments the arguments of its {@code builder(…)} call, for the instructions
   */
  record Spec(
      TrainerConfig config,
      TrajectoryFingerprint fingerprint,
      List<TrainableParameter> buffers,
      String trainer,
      String builderArguments) {
    Spec {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(fingerprint, "fingerprint");
      buffers = List.copyOf(buffers);
      Objects.requireNonNull(trainer, "trainer");
      Objects.requireNonNull(builderArguments, "builderArguments");
    }
  }

  private final Spec spec;
  private final ContrastiveStep step;
  private final AdamW adam;
  private final int total;
  private final int perEpoch;
  private int start;
  private int lastCheckpoint;
  private Path lastCheckpointPath;
  private double lastLoss = Double.NaN;
  private MetricsLog log;
  private ProgressTracker tracker;

  /**
   * @param spec what checkpoints hold
   * @param step the run's step, whose parameters checkpoints hold
   * @param adam the run's optimiser, whose moments checkpoints hold
   * @param total the run's length in steps
   * @param perEpoch steps per epoch
   */
  TrainingRecorder(Spec spec, ContrastiveStep step, AdamW adam, int total, int perEpoch) {
    this.spec = spec;
    this.step = step;
    this.adam = adam;
    this.total = total;
    this.perEpoch = perEpoch;
  }

  /**
   * Restores {@code checkpoint} into the step's parameters, the buffers and the optimiser.
   *
   * @return the completed steps, where the run continues
   * @throws IllegalArgumentException if the checkpoint belongs to another run (see {@link
   *     Checkpoint#restore})
   * @throws IOException if it cannot be read
   */
  int resume(Path checkpoint) throws IOException {
    Checkpoint c = Checkpoint.read(checkpoint);
    start = c.restore(spec.fingerprint(), total, step.parameters(), spec.buffers(), adam);
    lastCheckpoint = start;
    lastCheckpointPath = checkpoint;
    lastLoss = c.state().lastLoss();
    return start;
  }

  /**
   * Opens the metrics log (a new one, or the resumed run's cut after its checkpoint) and starts the
   * progress at the run's position.
   *
   * @param task the progress's task name
   * @param progress who is told
   * @return the open log, for the trainer's evaluation entries
   */
  MetricsLog open(String task, ProgressListener progress) throws IOException {
    Path file = spec.config().metricsFile();
    log = start == 0 ? MetricsLog.create(file) : MetricsLog.resume(file, start);
    tracker = ProgressTracker.start(task, "steps", total, start, progress, InstantSource.system());
    return log;
  }

  /**
   * Before step {@code s} (0-based): if the JVM is shutting down, writes a checkpoint of the steps
   * done (unless the last one holds them), tells the user how to resume and throws.
   *
   * @throws TrainingInterruptedException if the JVM is shutting down
   */
  void stopIfRequested(ShutdownStop stop, int s) throws IOException {
    if (!stop.requested()) {
      return;
    }
    if (s > lastCheckpoint) {
      lastCheckpointPath = checkpoint(s);
    }
    String message =
        lastCheckpointPath == null
            ? "training stopped before its first step because the JVM is shutting down; there is"
                + " nothing to resume from, start the run again"
            : "training stopped after step "
                + s
                + " of "
                + total
                + " because the JVM is shutting down; checkpoint "
                + lastCheckpointPath
                + " holds it. Resume with the same towers, configuration and data: "
                + spec.trainer()
                + ".builder("
                + spec.builderArguments()
                + ").resumeFrom("
                + spec.trainer()
                + ".latestCheckpoint(Path.of(\""
                + spec.config().checkpointDirectory()
                + "\")).orElseThrow())";
    stop.tell(message);
    throw new TrainingInterruptedException(message, s, total, lastCheckpointPath);
  }

  /**
   * Records step {@code done} (1-based): its metrics in the log and the progress, and a checkpoint
   * when one is due.
   */
  void record(
      int done, int epoch, ContrastiveStep.Outcome outcome, double learningRate, double pairsPerS)
      throws IOException {
    lastLoss = outcome.loss();
    log.append(
        new StepMetrics(
            done,
            epoch,
            outcome.loss(),
            Math.exp(step.logTemperature()),
            step.bias(),
            learningRate,
            outcome.gradientNorm(),
            pairsPerS));
    tracker.advance(
        1,
        List.of(
            new ProgressMetric("loss", outcome.loss()), new ProgressMetric("pairs/s", pairsPerS)));
    int every = spec.config().checkpointEvery();
    if (every > 0 && done % every == 0) {
      lastCheckpointPath = checkpoint(done);
      lastCheckpoint = done;
    }
  }

  /** {@return the loss of the last step recorded or restored; NaN before any} */
  double lastLoss() {
    return lastLoss;
  }

  /** After the last step: writes the final checkpoint unless the last one holds it. */
  void finish() throws IOException {
    if (lastCheckpoint != total) {
      lastCheckpointPath = checkpoint(total);
      lastCheckpoint = total;
    }
  }

  private Path checkpoint(int done) throws IOException {
    Checkpoint.State state =
        new Checkpoint.State(
            Checkpoint.FORMAT_VERSION,
            done,
            done / perEpoch,
            done % perEpoch,
            adam.steps(),
            total,
            lastLoss,
            spec.fingerprint().fields(),
            spec.fingerprint().sha256());
    return Checkpoint.write(
        spec.config().checkpointDirectory(), state, step.parameters(), spec.buffers(), adam);
  }

  /** Finishes the progress and closes the log; idempotent. */
  @Override
  public void close() {
    if (tracker != null) {
      tracker.finish();
      tracker = null;
    }
    if (log != null) {
      MetricsLog open = log;
      log = null;
      open.close();
    }
  }
}
