package dev.lit4j.defaultmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.model.LitModel;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public entry points with the bundled model on the real PyTorch engine. The cache directory is
 * {@code target/lit4j-cache} (surefire sets {@value BundledDefaultModel#CACHE_DIR_PROPERTY}).
 */
class DefaultModelTest {
  /** Softmax scores are computed in float64 from float32 cosines. */
  private static final double SUM_TOLERANCE = 1e-9;

  @TempDir Path tmp;

  /** A red cat-ish face on white: two ears, a round head, eyes, whiskers. */
  private Path drawnPng() throws IOException {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 256, 256);
      g.setColor(new Color(200, 90, 40));
      g.fillPolygon(new int[] {60, 90, 110}, new int[] {110, 40, 95}, 3);
      g.fillPolygon(new int[] {196, 166, 146}, new int[] {110, 40, 95}, 3);
      g.fillOval(50, 70, 156, 140);
      g.setColor(Color.BLACK);
      g.fillOval(95, 120, 16, 20);
      g.fillOval(145, 120, 16, 20);
      g.setStroke(new BasicStroke(3));
      g.drawLine(70, 170, 120, 165);
      g.drawLine(136, 165, 186, 170);
    } finally {
      g.dispose();
    }
    Path file = tmp.resolve("drawn.png");
    assertTrue(ImageIO.write(image, "png", file.toFile()), "no PNG writer");
    return file;
  }

  @Test
  void zeroShotOf_classifiesADrawnImage_withThreeSortedSoftmaxScoresOverTheLabels()
      throws IOException {
    BufferedImage image = ImageFiles.read(drawnPng());
    ClassScores scores;
    try (ZeroShotClassifier classifier = ZeroShotClassifier.of(List.of("cat", "dog", "car"))) {
      scores = classifier.classify(image);
    }
    List<ClassScore> ranked = scores.ranked();
    assertEquals(3, ranked.size());
    assertEquals(
        Set.of("cat", "dog", "car"),
        Set.copyOf(ranked.stream().map(ClassScore::label).toList()),
        ranked.toString());
    double sum = 0;
    for (int i = 0; i < ranked.size(); i++) {
      double s = ranked.get(i).score();
      assertTrue(s > 0 && s < 1, "softmax score in (0, 1): " + ranked);
      if (i > 0) {
        assertTrue(ranked.get(i - 1).score() >= s, "not sorted: " + ranked);
      }
      sum += s;
    }
    assertEquals(1.0, sum, SUM_TOLERANCE, ranked.toString());
  }

  @Test
  void zeroShotOf_afterClose_hasClosedTheDefaultModelItLoaded() throws IOException {
    BufferedImage image = ImageFiles.read(drawnPng());
    ZeroShotClassifier classifier =
        ZeroShotClassifier.of(List.of("cat", "dog"), PromptTemplates.SINGLE);
    classifier.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> classifier.classify(image));
    assertEquals("LitModel is closed", e.getMessage());
  }

  @Test
  void loadDefault_readsTheBundledModelsDeclaredTemplates() throws IOException {
    try (LitModel model = LitModel.loadDefault()) {
      Optional<PromptTemplates> templates = model.promptTemplates();
      assertTrue(templates.isPresent(), "the bundled lit-model.json declares templates");
      assertEquals(model.imageTower().dimension(), model.textTower().dimension());
    }
  }

  @Test
  void loadDefault_twice_reusesTheExtractedDirectoryWithoutRewritingIt() throws IOException {
    try (LitModel first = LitModel.loadDefault()) {
      assertTrue(first.dimension() > 0);
    }
    Path dir = new BundledDefaultModel().modelDirectory();
    Path configured =
        Path.of(System.getProperty(BundledDefaultModel.CACHE_DIR_PROPERTY)).toAbsolutePath();
    assertTrue(dir.toAbsolutePath().startsWith(configured), dir + " not under " + configured);
    Map<String, String> before = fileStamps(dir);

    try (LitModel second = LitModel.loadDefault()) {
      assertTrue(second.dimension() > 0);
    }

    assertEquals(dir, new BundledDefaultModel().modelDirectory());
    assertEquals(before, fileStamps(dir), "files were rewritten");
  }

  /** Path → inode and modification time of every file under {@code dir}. */
  private static Map<String, String> fileStamps(Path dir) throws IOException {
    Map<String, String> stamps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        stamps.put(dir.relativize(f).toString(), a.fileKey() + "@" + a.lastModifiedTime());
      }
    }
    assertTrue(stamps.size() > 1, "empty model directory " + dir);
    return stamps;
  }
}
