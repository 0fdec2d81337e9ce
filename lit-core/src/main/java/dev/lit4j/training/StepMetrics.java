package dev.lit4j.training;

/**
 * What one optimiser step measured; one line of the metrics log.
 *
 * @param step the 1-based number of completed steps
 * @param epoch the 0-based epoch the step belongs to
 * @param loss the training loss of the step's batch, before the update
 * @param temperature the logit scale {@code t} after the update
 * @param bias the sigmoid bias {@code b} after the update (0 for softmax)
 * @param learningRate the learning rate used by the update
 * @param gradientNorm the global L2 norm of all gradients before clipping
 * @param pairsPerSecond training throughput of this step (wall clock)
 */
public record StepMetrics(
    int step,
    int epoch,
    double loss,
    double temperature,
    double bias,
    double learningRate,
    double gradientNorm,
    double pairsPerSecond) {}
