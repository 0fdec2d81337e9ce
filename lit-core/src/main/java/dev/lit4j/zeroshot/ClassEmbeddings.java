package dev.lit4j.zeroshot;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TextTower;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes class embeddings: for each label, the mean of its normalised prompt embeddings,
 * re-normalised (CLIP's prompt ensembling, Radford et al. 2021, §3.1.4).
 */
final class ClassEmbeddings {
  /** The task name reported to progress listeners. */
  static final String TASK = "class embeddings";

  /** The unit reported to progress listeners. */
  static final String UNIT = "prompts";

  private ClassEmbeddings() {}

  /**
   * Returns the {@code [labels.size(), D]} class embeddings. Prompts are embedded in as few text
   * tower calls as {@link ZeroShotClassifier#MAX_PROMPTS_PER_CALL} allows, never splitting a
   * label's prompts across calls; {@code progress} is told after each call, counting prompts, and
   * once at the end (also when a call throws).
   */
  static EmbeddingMatrix compute(
      TextTower tower, List<String> labels, PromptTemplates templates, ProgressListener progress) {
    int t = templates.size();
    int labelsPerCall = Math.max(1, ZeroShotClassifier.MAX_PROMPTS_PER_CALL / t);
    int d = tower.dimension();
    float[] means = new float[Math.multiplyExact(labels.size(), d)];
    ProgressTracker tracker = ProgressTracker.start(TASK, UNIT, (long) labels.size() * t, progress);
    try {
      for (int from = 0; from < labels.size(); from += labelsPerCall) {
        int to = Math.min(labels.size(), from + labelsPerCall);
        List<String> prompts = new ArrayList<>((to - from) * t);
        for (int k = from; k < to; k++) {
          prompts.addAll(templates.apply(labels.get(k)));
        }
        EmbeddingMatrix embedded = tower.embedAll(prompts);
        if (embedded.size() != prompts.size() || embedded.dimension() != d) {
          throw new IllegalStateException(
              "text tower returned "
                  + embedded
                  + " for "
                  + prompts.size()
                  + " prompts of dimension "
                  + d
                  + "; the tower breaks the TextTower contract");
        }
        accumulateMeans(embedded.matrix(), t, from, means);
        tracker.advance(prompts.size());
      }
    } finally {
      tracker.finish();
    }
    for (int k = 0; k < labels.size(); k++) {
      if (isZero(means, k * d, d)) {
        throw new IllegalArgumentException(
            "the prompt embeddings of label "
                + k
                + " '"
                + labels.get(k)
                + "' average to the zero vector; use other prompt templates");
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(labels.size(), d, means));
  }

  /** Writes the mean of each group of {@code t} consecutive rows into {@code means}. */
  private static void accumulateMeans(FloatMatrix rows, int t, int firstLabel, float[] means) {
    int d = rows.cols();
    float[] data = rows.toArray();
    double[] sum = new double[d];
    for (int g = 0; g < rows.rows() / t; g++) {
      Arrays.fill(sum, 0);
      for (int p = 0; p < t; p++) {
        int base = (g * t + p) * d;
        for (int j = 0; j < d; j++) {
          sum[j] += data[base + j];
        }
      }
      int out = (firstLabel + g) * d;
      for (int j = 0; j < d; j++) {
        means[out + j] = (float) (sum[j] / t);
      }
    }
  }

  private static boolean isZero(float[] v, int offset, int length) {
    for (int j = 0; j < length; j++) {
      if (v[offset + j] != 0) {
        return false;
      }
    }
    return true;
  }
}
