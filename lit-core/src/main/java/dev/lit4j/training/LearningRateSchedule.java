package dev.lit4j.training;

/**
 * Linear warmup from 0 followed by cosine decay to 0, the schedule of big_vision's LiT and SigLIP
 * configurations ({@code big_vision.utils.create_learning_rate_schedule} with {@code
 * decay_type="cosine"}).
 *
 * <p>For the update with 0-based index {@code s}, warmup {@code W} and {@code T} total steps:
 *
 * <pre>
 *   progress(s) = clamp((s − W) / (T − W), 0, 1)
 *   rate(s)     = peak · min(1, s / W) · ½ (1 + cos(π · progress(s)))
 * </pre>
 *
 * with {@code min(1, s / W) = 1} when {@code W = 0}, and {@code progress(s) = 0} before {@code W}
 * when the whole run is warmup ({@code W = T}). As in big_vision the first update ({@code s = 0})
 * has rate 0 when {@code W > 0}, and the rate reaches 0 at {@code s = T}, one past the last update.
 *
 * @param peak the peak learning rate, reached at the end of warmup
 * @param warmupSteps {@code W}, in {@code [0, totalSteps]}
 * @param totalSteps {@code T}, at least 1
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps) {

  /**
   * @param peak the peak learning rate, reached at the end of warmup
   * @param warmupSteps {@code W}, in {@code [0, totalSteps]}
   * @param totalSteps {@code T}, at least 1
   * @throws IllegalArgumentException if {@code peak} is not positive and finite, {@code totalSteps
   *     < 1}, or {@code warmupSteps} is outside {@code [0, totalSteps]}
   */
  public LearningRateSchedule {
    if (!(peak > 0) || !Double.isFinite(peak)) {
      throw new IllegalArgumentException("peak learning rate must be positive, got " + peak);
    }
    if (totalSteps < 1) {
      throw new IllegalArgumentException("total steps must be at least 1, got " + totalSteps);
    }
    if (warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "warmup steps must be in [0, " + totalSteps + "] (total steps), got " + warmupSteps);
    }
  }

  /**
   * {@return the learning rate of the update with 0-based index {@code step}}
   *
   * @param step the update, 0-based
   * @throws IllegalArgumentException if {@code step < 0}
   */
  public double rate(int step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    double warm = warmupSteps == 0 ? 1.0 : Math.min(1.0, (double) step / warmupSteps);
    double progress =
        totalSteps == warmupSteps
            ? (step < warmupSteps ? 0.0 : 1.0)
            : Math.min(
                1.0, Math.max(0.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps)));
    return peak * warm * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
