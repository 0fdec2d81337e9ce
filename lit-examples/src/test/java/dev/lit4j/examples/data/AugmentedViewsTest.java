package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.examples.data.AugmentedViews.Look;
import dev.lit4j.examples.data.AugmentedViews.Spec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentedViewsTest {

  @TempDir Path dir;

  /** A 40 × 20 transparent image with an opaque red left half. */
  private static BufferedImage redLeftHalf() {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        image.setRGB(x, y, 0xFFFF0000);
      }
    }
    return image;
  }

  private static Spec whole(boolean mirrored, Look look, int background) {
    return new Spec(0, 0, 1, 1, mirrored, look, background);
  }

  @Test
  void spec_isTheSameForTheSameIdViewAndSeed_andDiffersOtherwise() {
    assertEquals(AugmentedViews.spec("a.png", 0, 7), AugmentedViews.spec("a.png", 0, 7));
    assertNotEquals(AugmentedViews.spec("a.png", 0, 7), AugmentedViews.spec("a.png", 1, 7));
    assertNotEquals(AugmentedViews.spec("a.png", 0, 7), AugmentedViews.spec("b.png", 0, 7));
    assertNotEquals(AugmentedViews.spec("a.png", 0, 7), AugmentedViews.spec("a.png", 0, 8));
  }

  @Test
  void spec_cropsSeventyToAHundredPercentInsideTheImage() {
    for (int i = 0; i < 200; i++) {
      Spec s = AugmentedViews.spec("img" + i, i % 3, 1);
      double area = s.width() * s.height();
      assertTrue(area >= 0.70 - 1e-9 && area <= 1.0, s.toString());
      assertTrue(s.x() >= 0 && s.x() + s.width() <= 1 + 1e-12, s.toString());
      assertTrue(s.y() >= 0 && s.y() + s.height() <= 1 + 1e-12, s.toString());
    }
  }

  @Test
  void spec_firstFourViewsOfAnImageHaveFourDifferentLooks() {
    Set<Look> looks = EnumSet.noneOf(Look.class);
    for (int k = 0; k < 4; k++) {
      looks.add(AugmentedViews.spec("fox.png", k, 3).look());
    }
    assertEquals(EnumSet.allOf(Look.class), looks);
  }

  @Test
  void render_mirrorsAndCompositesOnTheGivenBackground() {
    BufferedImage plain =
        AugmentedViews.render(redLeftHalf(), whole(false, Look.WHITE_BACKGROUND, 0));
    assertEquals(0xFF0000, plain.getRGB(2, 10) & 0xFFFFFF);
    assertEquals(0xFFFFFF, plain.getRGB(37, 10) & 0xFFFFFF);
    BufferedImage mirrored =
        AugmentedViews.render(redLeftHalf(), whole(true, Look.COLOUR_BACKGROUND, 0x123456));
    assertEquals(0x123456, mirrored.getRGB(2, 10) & 0xFFFFFF);
    assertEquals(0xFF0000, mirrored.getRGB(37, 10) & 0xFFFFFF);
  }

  @Test
  void render_greyscaleKeepsLuminance() {
    BufferedImage grey = AugmentedViews.render(redLeftHalf(), whole(false, Look.GREYSCALE, 0));
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, grey.getType());
    assertEquals(76, grey.getRaster().getSample(2, 10, 0)); // 0.299 · 255
    assertEquals(255, grey.getRaster().getSample(37, 10, 0));
  }

  @Test
  void render_whiteOnBlackIsA28PixelLightShapeOnBlack() {
    BufferedImage small =
        AugmentedViews.render(redLeftHalf(), whole(false, Look.WHITE_ON_BLACK, 0));
    assertEquals(AugmentedViews.SMALL_SIDE, small.getWidth());
    assertEquals(AugmentedViews.SMALL_SIDE, small.getHeight());
    // 40 × 20 fits as 28 × 14, centred: rows 7..20 hold the image, the rest is black padding
    assertEquals(0, small.getRaster().getSample(3, 2, 0));
    assertEquals(0, small.getRaster().getSample(24, 14, 0)); // transparent half stays black
    int shape = small.getRaster().getSample(3, 14, 0);
    assertTrue(shape > 90, "shape pixel " + shape);
  }

  @Test
  void render_whiteOnBlackInvertsOpaqueImages() {
    BufferedImage paper = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        paper.setRGB(x, y, x < 5 ? 0x000000 : 0xFFFFFF);
      }
    }
    BufferedImage small = AugmentedViews.render(paper, whole(false, Look.WHITE_ON_BLACK, 0));
    assertEquals(255, small.getRaster().getSample(2, 14, 0)); // black ink becomes white
    assertEquals(0, small.getRaster().getSample(25, 14, 0)); // white paper becomes black
  }

  @Test
  void areaResize_averagesCoveredPixels() {
    double[] row = {0, 10, 20, 30};
    assertArrayEquals(new double[] {5, 25}, AugmentedViews.areaResize(row, 4, 1, 2, true), 1e-12);
    assertArrayEquals(
        new double[] {0, 10, 20, 30}, AugmentedViews.areaResize(row, 1, 4, 4, false), 1e-12);
  }

  @Test
  void write_namesViewsAfterTheirImage_keepsLabels_andIsDeterministic() throws IOException {
    Path png = dir.resolve("in/fox.png");
    EmojiFixtures.png(png, 0xFF884422);
    CaptionedImage fox =
        new CaptionedImage("a/fox.png", png, "animal mammal", "1F98A", List.of("fox"));
    List<CaptionedImage> views = AugmentedViews.write(List.of(fox), 2, 5, dir.resolve("v1"));
    assertEquals(
        List.of("a/fox.png#v0", "a/fox.png#v1"), views.stream().map(CaptionedImage::id).toList());
    assertEquals("1F98A", views.get(1).group());
    assertEquals("animal mammal", views.get(1).category());
    assertEquals(List.of("fox"), views.get(1).captions());
    List<CaptionedImage> again = AugmentedViews.write(List.of(fox), 2, 5, dir.resolve("v2"));
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(
          Files.readAllBytes(views.get(k).image()), Files.readAllBytes(again.get(k).image()));
    }
    assertEquals("a/fox.png", AugmentedViews.baseId("a/fox.png#v1"));
    assertEquals("a/fox.png", AugmentedViews.baseId("a/fox.png"));
  }

  @Test
  void write_withNegativeCount_namesTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AugmentedViews.write(List.of(), -1, 0, dir));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }
}
