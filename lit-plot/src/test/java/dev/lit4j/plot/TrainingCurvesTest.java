package dev.lit4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.training.MetricsLog;
import dev.lit4j.training.StepMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
  @TempDir Path dir;

  private static List<StepMetrics> steps(int n) {
    List<StepMetrics> steps = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      steps.add(new StepMetrics(i, 0, 4.0 / i, 10 + 0.1 * i, 0, 1e-4, 1.0, 500));
    }
    return steps;
  }

  @Test
  void write_withStepsAndEvaluations_drawsFourPanelsStackedInOnePng() throws IOException {
    MetricsLog.Entries entries =
        new MetricsLog.Entries(
            steps(60),
            List.of(
                new MetricsLog.EvaluationPoint(30, Map.of("zeroShotTop1", 0.2)),
                new MetricsLog.EvaluationPoint(60, Map.of("zeroShotTop1", 0.4))));
    Path png = dir.resolve("curves.png");

    TrainingCurves.write(entries, png);

    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(TrainingCurves.WIDTH, image.getWidth());
    assertEquals(4 * TrainingCurves.PANEL_HEIGHT, image.getHeight());
    assertNotEquals(image.getRGB(0, 0), darkestPixel(image), "the panels have drawn content");
  }

  @Test
  void write_withEvaluationsOnly_drawsOnePanel() throws IOException {
    MetricsLog.Entries entries =
        new MetricsLog.Entries(
            List.of(), List.of(new MetricsLog.EvaluationPoint(0, Map.of("zeroShotTop1", 0.1))));
    Path png = dir.resolve("eval.png");
    TrainingCurves.write(entries, png);
    assertEquals(TrainingCurves.PANEL_HEIGHT, ImageIO.read(png.toFile()).getHeight());
  }

  @Test
  void write_withEmptyLog_saysSoAndWritesNothing() {
    Path png = dir.resolve("none.png");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingCurves.write(new MetricsLog.Entries(List.of(), List.of()), png));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertTrue(Files.notExists(png));
  }

  private static int darkestPixel(BufferedImage image) {
    int darkest = image.getRGB(0, 0);
    int darkestSum = Integer.MAX_VALUE;
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        int rgb = image.getRGB(x, y);
        int sum = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
        if (sum < darkestSum) {
          darkestSum = sum;
          darkest = rgb;
        }
      }
    }
    return darkest;
  }
}
