package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.zeroshot.ClassScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's first snippet: {@code ZeroShotClassifier.of(labels)} with nothing but the default
 * model on the class path, on the shipped sample images, with the real engine.
 */
class ClassifyImagesTest {
  private static final Path SAMPLES = Path.of("samples");

  @Test
  void run_classifiesEverySampleAmongTheLabels_withTheDefaultModel() throws IOException {
    List<Path> images =
        List.of(
            SAMPLES.resolve("openclipart-dog.png"),
            SAMPLES.resolve("openclipart-house.png"),
            SAMPLES.resolve("fashion-mnist-sneaker.png"),
            SAMPLES.resolve("fashion-mnist-bag.png"));
    Map<Path, ClassScores> scores = ClassifyImages.run(images, List.of("cat", "dog", "car"));
    assertEquals(images, List.copyOf(scores.keySet()));
    for (ClassScores s : scores.values()) {
      assertEquals(3, s.size());
      double sum = s.ranked().stream().mapToDouble(c -> c.score()).sum();
      assertEquals(1.0, sum, 1e-6, s.toString());
    }
    // The drawing of a dog is a dog, not a cat or a car.
    assertEquals("dog", scores.get(images.get(0)).best().label(), scores.toString());
    assertTrue(scores.get(images.get(0)).best().score() > 0.5, scores.toString());
  }
}
