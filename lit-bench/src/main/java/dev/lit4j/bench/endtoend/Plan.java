package dev.lit4j.bench.endtoend;

/**
 * The sizes of one benchmark run. Each count of measured repetitions comes after one warm-up.
 *
 * @param smallBatch the training batch run first (default tower)
 * @param smallBatchSteps measured training steps at {@code smallBatch}
 * @param mediumBatch the second training batch (0 to skip), also the basis of the prediction for
 *     {@code largeBatch}
 * @param mediumBatchSteps measured steps at {@code mediumBatch}
 * @param largeBatch the largest training batch (0 to skip); run last, only if it fits the budget
 * @param largeBatchSteps measured steps at {@code largeBatch}
 * @param miniLmSteps measured MiniLM steps at {@code smallBatch} (0 to skip)
 * @param labels labels of the measured classifier constructions (× 80 templates)
 * @param warmupLabels labels of the warm-up construction
 * @param constructionRepetitions measured constructions
 * @param images images per image-tower call, per size
 * @param towerRepetitions measured image-tower calls per size
 * @param scoringRepetitions measured scoring calls
 * @param storeImages PNG files per measured store build
 * @param storeWarmupImages PNG files of the warm-up store build
 * @param storeRepetitions measured store builds
 * @param budgetSeconds wall time the run should stay within; decides whether {@code largeBatch}
 *     runs
 */
record Plan(
    int smallBatch,
    int smallBatchSteps,
    int mediumBatch,
    int mediumBatchSteps,
    int largeBatch,
    int largeBatchSteps,
    int miniLmSteps,
    int labels,
    int warmupLabels,
    int constructionRepetitions,
    int images,
    int towerRepetitions,
    int scoringRepetitions,
    int storeImages,
    int storeWarmupImages,
    int storeRepetitions,
    double budgetSeconds) {

  /**
   * The full run: about 5 minutes on a loaded 2-core machine, within a 10-minute budget (a default
   * tower training step there takes 5–15 s, MiniLM's about 6 s at B = 256, 80,000 prompts about a
   * minute).
   */
  static final Plan FULL =
      new Plan(256, 5, 1024, 3, 4096, 2, 3, 100, 5, 3, 32, 5, 20, 64, 8, 3, 600);

  /** A check that everything runs (tens of seconds, dominated by loading the towers). */
  static final Plan QUICK = new Plan(64, 1, 0, 0, 0, 0, 0, 2, 1, 1, 4, 1, 3, 4, 1, 1, 120);
}
