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

class OpenClipartTest {

  @TempDir Path root;

  private static String svg(String title, String author, String... keywords) {
    StringBuilder lis = new StringBuilder();
    for (String k : keywords) {
      lis.append("<rdf:li>").append(k).append("</rdf:li>");
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:cc="http://web.resource.org/cc/"
             xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <metadata><rdf:RDF><cc:Work rdf:about="">
            <dc:title>%s</dc:title>
            <dc:subject><rdf:Bag>%s</rdf:Bag></dc:subject>
            <dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent></dc:publisher>
            <dc:creator><cc:Agent><dc:title>%s</dc:title></cc:Agent></dc:creator>
          </cc:Work></rdf:RDF></metadata>
          <rect width="1" height="1"/>
        </svg>
        """
        .formatted(title, lis, author);
  }

  private void work(String rel, String svgText, int side) throws IOException {
    Path png = root.resolve("png").resolve(rel + ".png");
    Path svg = root.resolve("svg").resolve(rel + ".svg");
    Files.createDirectories(png.getParent());
    Files.createDirectories(svg.getParent());
    ImageIO.write(new BufferedImage(side, 2, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    Files.writeString(svg, svgText);
  }

  @Test
  void read_buildsTitleAndKeywordCaptions_withoutAuthorsOrCategory() throws IOException {
    work("animals/fox_jo_01", svg("Red_Fox", "Jo Smith", "animals", "mammal", "jo smith"), 8);
    List<CaptionedImage> works = OpenClipart.read(root);
    assertEquals(1, works.size());
    CaptionedImage fox = works.get(0);
    assertEquals("animals", fox.category());
    assertEquals(List.of("Red Fox", "Red Fox, mammal"), fox.captions());
  }

  @Test
  void read_skipsIconFoldersOversizedImagesAndJunkTitles() throws IOException {
    work("animals/ok", svg("Owl", "A B"), 8);
    work("computer/icon", svg("Mouse", "A B"), 8);
    work("animals/huge", svg("Whale", "A B"), OpenClipart.MAX_SIDE + 1);
    work("animals/untitled", svg("Open Clip Art Library", "A B"), 8);
    work("animals/broken", "<svg><metadata>", 8);
    assertEquals(
        List.of("animals/ok.png"),
        OpenClipart.read(root).stream().map(CaptionedImage::id).toList());
  }

  @Test
  void clean_dropsAuthorPrefixesAndNumberSuffixes_butKeepsStandaloneNumbers() {
    assertEquals(
        "contour chipmunk", OpenClipart.Metadata.clean("Clipart by Nicu Buculei contour chipmunk"));
    assertEquals("smiley", OpenClipart.Metadata.clean("smiley111"));
    assertEquals("25 cents", OpenClipart.Metadata.clean("25_cents"));
  }

  @Test
  void read_withMissingRoot_namesThePackagesToInstall() {
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> OpenClipart.read(root.resolve("x")));
    assertTrue(e.getMessage().contains("openclipart-png"), e.getMessage());
  }
}
