package dev.lit4j.plot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixChartTest {
  @TempDir Path dir;

  @Test
  void write_drawsASquareHeatMapWhoseSizeGrowsWithTheClasses() throws IOException {
    Path two = dir.resolve("two.png");
    Path five = dir.resolve("five.png");
    ConfusionMatrixChart.write(two, List.of("cat", "dog"), new int[][] {{9, 1}, {2, 8}});
    int[][] counts = new int[5][5];
    for (int i = 0; i < 5; i++) {
      counts[i][i] = 3;
      counts[i][(i + 1) % 5] = 1;
    }
    ConfusionMatrixChart.write(five, List.of("a", "b", "c", "d", "e"), counts);
    BufferedImage small = ImageIO.read(two.toFile());
    BufferedImage large = ImageIO.read(five.toFile());
    assertTrue(
        large.getHeight() > small.getHeight(), small.getHeight() + " vs " + large.getHeight());
    assertTrue(small.getWidth() > 200 && small.getHeight() > 200);
  }

  @Test
  void write_withARaggedMatrix_namesTheRowAndWritesNothing() {
    Path png = dir.resolve("bad.png");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfusionMatrixChart.write(png, List.of("a", "b"), new int[][] {{1, 0}, {1}}));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    assertTrue(Files.notExists(png));
  }

  @Test
  void write_withANegativeCount_namesTheCell() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfusionMatrixChart.write(
                    dir.resolve("neg.png"), List.of("a", "b"), new int[][] {{1, 0}, {-2, 1}}));
    assertTrue(e.getMessage().contains("counts[1][0] = -2"), e.getMessage());
  }

  @Test
  void write_withNoLabels_saysSo() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfusionMatrixChart.write(dir.resolve("none.png"), List.of(), new int[0][0]));
  }
}
