package dev.lit4j.bench.endtoend;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.ImageTower;
import dev.lit4j.model.LitModel;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Zero-shot workloads on one model (MobileNetV2 image tower, from-scratch default text tower):
 * classifier construction (prompts through the text tower), the image tower on in-memory images,
 * and the scoring of image embeddings against 1,000 class embeddings.
 */
final class ZeroShotThroughput {
  /** Above this predicted time, construction with 1,000 labels is extrapolated, not run. */
  static final double FULL_CONSTRUCTION_LIMIT_SECONDS = 180;

  private static final int SCORING_CLASSES = 1000;

  private final LitModel model;

  ZeroShotThroughput(LitModel model) {
    this.model = model;
  }

  /** Synthetic labels "label 0", "label 1", …. */
  static List<String> labels(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add("label " + i);
    }
    return out;
  }

  /**
   * Builds classifiers of {@code labels} × 80 CLIP templates, once as warm-up (with {@code
   * warmupLabels}) and {@code repetitions} times measured; returns prompts/s.
   */
  Samples construction(int warmupLabels, int labels, int repetitions) {
    build(labels(warmupLabels));
    double[] rates = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      long t0 = System.nanoTime();
      build(labels(labels));
      double seconds = (System.nanoTime() - t0) / 1e9;
      rates[r] = labels * (double) PromptTemplates.CLIP_IMAGENET_80.size() / seconds;
    }
    return new Samples(rates);
  }

  /** Builds one classifier of {@code labels} × 80 templates; returns its seconds. */
  double constructionSeconds(int labels) {
    long t0 = System.nanoTime();
    build(labels(labels));
    return (System.nanoTime() - t0) / 1e9;
  }

  private ZeroShotClassifier build(List<String> labels) {
    return ZeroShotClassifier.builder(model, labels)
        .templates(PromptTemplates.CLIP_IMAGENET_80)
        .build();
  }

  /** Runs the image tower's {@code embedAll} on {@code images}; returns images/s. */
  Samples imageTower(List<BufferedImage> images, int repetitions) {
    ImageTower tower = model.imageTower();
    tower.embedAll(images);
    double[] rates = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      long t0 = System.nanoTime();
      tower.embedAll(images);
      rates[r] = images.size() / ((System.nanoTime() - t0) / 1e9);
    }
    return new Samples(rates);
  }

  /**
   * Scores the embeddings of {@code images} against 1,000 classes (one template each: the scoring
   * cost does not depend on how the class embeddings were made); returns milliseconds per image.
   */
  Samples scoring(List<BufferedImage> images, int repetitions) {
    EmbeddingMatrix embeddings = model.imageTower().embedAll(images);
    ZeroShotClassifier classifier =
        ZeroShotClassifier.builder(model, labels(SCORING_CLASSES))
            .templates(PromptTemplates.SINGLE)
            .build();
    classifier.classifyAll(embeddings);
    double[] perImageMillis = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      long t0 = System.nanoTime();
      classifier.classifyAll(embeddings);
      perImageMillis[r] = (System.nanoTime() - t0) / 1e6 / embeddings.size();
    }
    return new Samples(perImageMillis);
  }

  static String size(BufferedImage image) {
    return String.format(Locale.ROOT, "%d×%d", image.getWidth(), image.getHeight());
  }
}
