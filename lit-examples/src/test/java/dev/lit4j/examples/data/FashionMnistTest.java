package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @TempDir Path root;

  /** Writes a 2 × 3 test split whose image {@code i} is filled with value {@code 10 i}. */
  private void split(int[] labels) throws IOException {
    int[] pixels = new int[labels.length * 6];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = 10 * (i / 6);
    }
    pixels[5] = 255; // last pixel of image 0
    IdxFileTest.write(
        root.resolve(FashionMnist.TEST_IMAGES), new int[] {labels.length, 2, 3}, pixels);
    IdxFileTest.write(root.resolve(FashionMnist.TEST_LABELS), new int[] {labels.length}, labels);
  }

  @Test
  void read_takesTheFirstImagesOfEachClassInFileOrder() throws IOException {
    // class 0 three times, then one image of every class, then class 9 again
    split(new int[] {0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9});
    List<CaptionedImage> images = FashionMnist.read(root, 2, root.resolve("png"));
    assertEquals(20, images.size());
    assertEquals("t10k/00000.png", images.get(0).id());
    assertEquals("t10k/00001.png", images.get(1).id());
    assertEquals("t10k/00003.png", images.get(2).id()); // 00002 is a third t-shirt
    assertEquals("t-shirt", images.get(0).category());
    assertEquals("trousers", images.get(2).category());
    assertEquals(List.of("ankle boot"), images.get(19).captions());
    assertEquals("t10k/00020.png", images.get(19).id());
  }

  @Test
  void read_writesGreyPngsWithTheIdxPixels() throws IOException {
    split(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    List<CaptionedImage> images = FashionMnist.read(root, 1, root.resolve("png"));
    BufferedImage first = ImageIO.read(images.get(0).image().toFile());
    assertEquals(3, first.getWidth());
    assertEquals(2, first.getHeight());
    assertEquals(0, first.getRaster().getSample(0, 0, 0));
    assertEquals(255, first.getRaster().getSample(2, 1, 0));
    BufferedImage fourth = ImageIO.read(images.get(3).image().toFile());
    assertEquals(30, fourth.getRaster().getSample(1, 1, 0));
  }

  @Test
  void read_withTooFewImagesOfAClass_namesTheClass() throws IOException {
    split(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FashionMnist.read(root, 2, root.resolve("png")));
    assertTrue(e.getMessage().contains("'ankle boot' has only 1"), e.getMessage());
  }

  @Test
  void read_withMissingFiles_namesThePackageToInstall() {
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () -> FashionMnist.read(root.resolve("none"), 1, root.resolve("png")));
    assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
  }

  @Test
  void classNames_areTheReadmeClassesAsLabelText() {
    assertEquals(10, FashionMnist.CLASS_NAMES.size());
    assertEquals("t-shirt", FashionMnist.CLASS_NAMES.get(0));
    assertEquals("ankle boot", FashionMnist.CLASS_NAMES.get(9));
  }
}
