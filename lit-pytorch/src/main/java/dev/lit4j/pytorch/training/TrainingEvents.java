package dev.lit4j.pytorch.training;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * Java Flight Recorder events of the training loop, so that a recording ({@code java
 * -XX:StartFlightRecording …}, or {@code jdk.jfr.Recording} in a benchmark) shows how a step's time
 * splits between the optimiser and the rest. Disabled events cost a field check; libtorch's CPU
 * operations are synchronous, so an event's duration is the work's.
 */
final class TrainingEvents {
  /** The JFR name of {@link Step}. */
  static final String STEP = "dev.lit4j.TrainingStep";

  /** The JFR name of {@link OptimizerUpdate}. */
  static final String OPTIMIZER_UPDATE = "dev.lit4j.OptimizerUpdate";

  private TrainingEvents() {}

  /** One whole training step: forward, loss, backward, clipping and the optimiser update. */
  @Name(STEP)
  @Label("Training step")
  @Category({"lit4j", "Training"})
  @Description("One LiT training step on one device")
  static final class Step extends Event {
    @Label("Step")
    int step;

    @Label("Batch size")
    int batchSize;
  }

  /** One AdamW update of every trainable tensor. */
  @Name(OPTIMIZER_UPDATE)
  @Label("Optimizer update")
  @Category({"lit4j", "Training"})
  @Description("One AdamW update of every trainable tensor")
  static final class OptimizerUpdate extends Event {
    @Label("Kernel")
    String kernel;

    @Label("Tensors")
    int tensors;

    @Label("Values")
    long values;
  }
}
