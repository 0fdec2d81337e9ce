package dev.lit4j.examples;

import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.pytorch.training.RawImageTrainingResult;
import dev.lit4j.retrieval.RetrievalMetrics;
import java.util.Objects;

/**
 * What one arm of the comparison measured for one seed.
 *
 * @param arm the arm
 * @param seed the seed of data order, caption draws and both towers' initialisation
 * @param heldOut zero-shot metrics of each held-out set and retrieval on the captioned set, with
 *     the trained towers (image tower in inference mode at the arm's resolution)
 * @param training the trainer's steps, losses and final calibration
 * @param imageBefore the image tower's identity before training (its checksum covers every weight
 *     and moving statistic)
 * @param imageAfter the same after training: equal to {@code imageBefore} when the tower is locked
 * @param trainSeconds wall time of training alone
 * @param seconds wall time of the arm: towers made, trained and evaluated
 */
public record ArmResult(
    Arm arm,
    long seed,
    EvaluationMetrics heldOut,
    RawImageTrainingResult training,
    TowerIdentity imageBefore,
    TowerIdentity imageAfter,
    double trainSeconds,
    double seconds) {

  /** Checks that nothing is null. */
  public ArmResult {
    Objects.requireNonNull(arm, "arm");
    Objects.requireNonNull(heldOut, "heldOut");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(imageBefore, "imageBefore");
    Objects.requireNonNull(imageAfter, "imageAfter");
  }

  /**
   * {@return zero-shot top-1 accuracy on the held-out set {@code name}}
   *
   * @throws IllegalArgumentException if there is no such set (the names are listed)
   */
  public double top1(String name) {
    return heldOut.zeroShot(name).accuracy().top1();
  }

  /**
   * {@return zero-shot top-5 accuracy on the held-out set {@code name}}
   *
   * @throws IllegalArgumentException if there is no such set (the names are listed)
   */
  public double top5(String name) {
    return heldOut.zeroShot(name).accuracy().top5();
  }

  /**
   * {@return image → text and text → image recall of the retrieval set}
   *
   * @throws java.util.NoSuchElementException if the held-out data had no retrieval set
   */
  public RetrievalMetrics retrieval() {
    return heldOut.retrievalSet().orElseThrow().recall();
  }
}
