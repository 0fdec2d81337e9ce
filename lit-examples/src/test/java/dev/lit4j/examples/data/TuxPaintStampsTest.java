package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuxPaintStampsTest {

  @TempDir Path root;

  private void stamp(String rel, String caption) throws IOException {
    Path png = root.resolve(rel + ".png");
    Files.createDirectories(png.getParent());
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB), "png", png.toFile());
    if (caption != null) {
      Files.writeString(root.resolve(rel + ".txt"), caption + "\nde.utf8=Ein Fuchs.\n");
    }
  }

  @Test
  void read_takesTopFolderAsCategoryAndFirstLineAsCaption() throws IOException {
    stamp("animals/mammals/dogs/fox", "A fox.");
    stamp("food/apple", "A red apple.");
    List<CaptionedImage> stamps = TuxPaintStamps.read(root);
    assertEquals(2, stamps.size());
    assertEquals("animals/mammals/dogs/fox.png", stamps.get(0).id());
    assertEquals("animals", stamps.get(0).category());
    assertEquals(List.of("A fox."), stamps.get(0).captions());
    assertEquals("food", stamps.get(1).category());
  }

  @Test
  void read_skipsMirrorsSymbolsAndUncaptionedStamps() throws IOException {
    stamp("animals/fox", "A fox.");
    stamp("animals/fox_mirror", "A fox.");
    stamp("animals/fox_flip", "A fox.");
    stamp("symbols/letter_a", "The letter A.");
    stamp("animals/nocaption", null);
    List<CaptionedImage> stamps = TuxPaintStamps.read(root);
    assertEquals(List.of("animals/fox.png"), stamps.stream().map(CaptionedImage::id).toList());
  }

  @Test
  void read_withMissingRoot_namesThePackageToInstall() {
    Path missing = root.resolve("nope");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> TuxPaintStamps.read(missing));
    assertTrue(e.getMessage().contains("tuxpaint-stamps-default"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void className_spellsOutCompoundFolderNames() {
    assertEquals("natural forces", TuxPaintStamps.className("naturalforces"));
    assertEquals("animals", TuxPaintStamps.className("animals"));
  }
}
