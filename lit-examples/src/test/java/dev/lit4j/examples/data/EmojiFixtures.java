package dev.lit4j.examples.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Tiny npm emoji packages written into a temporary folder. */
final class EmojiFixtures {

  /** Distinct opaque colours of the fixture images; the first is the fox's. */
  static final int[] COLOURS = {0xFFAA5500, 0xFF2040C0, 0xFF10A010, 0xFFC020C0, 0xFF20C0C0};

  private EmojiFixtures() {}

  /** An {@code openmoji} package with a fox, a red heart (FE0F), a skin-toned wave and a flag. */
  static Path openmoji(Path modules) throws IOException {
    Path root = modules.resolve("openmoji");
    Files.createDirectories(root.resolve("data"));
    Files.writeString(
        root.resolve(EmojiCatalog.FILE),
        """
        [
         {"emoji":"🦊","hexcode":"1F98A","group":"animals-nature","subgroups":"animal-mammal",
          "annotation":"fox","tags":"face, fox","openmoji_tags":"cunning, Red","skintone":""},
         {"emoji":"❤️","hexcode":"2764-FE0F","group":"smileys-emotion","subgroups":"heart",
          "annotation":"red heart","tags":"heart","openmoji_tags":"","skintone":""},
         {"emoji":"👋🏽","hexcode":"1F44B-1F3FD","group":"people-body","subgroups":"hand-fingers-open",
          "annotation":"waving hand: medium skin tone","tags":"hand, wave","openmoji_tags":"",
          "skintone":"3"},
         {"emoji":"🏻","hexcode":"1F3FB","group":"component","subgroups":"skin-tone",
          "annotation":"light skin tone","tags":"","openmoji_tags":"","skintone":""},
         {"emoji":"🇩🇪","hexcode":"1F1E9-1F1EA","group":"flags","subgroups":"country-flag",
          "annotation":"flag: Germany","tags":"flag","openmoji_tags":"","skintone":""},
         {"emoji":"☁️","hexcode":"2601-FE0F","group":"travel-places","subgroups":"sky-weather",
          "annotation":"cloud","tags":"weather","openmoji_tags":"","skintone":""}
        ]
        """);
    Path svg = root.resolve("color").resolve("svg");
    Files.createDirectories(svg);
    for (String hex :
        new String[] {"1F98A", "2764-FE0F", "1F44B-1F3FD", "1F1E9-1F1EA", "2601-FE0F"}) {
      Files.writeString(svg.resolve(hex + ".svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    }
    return root;
  }

  /**
   * An {@code emoji-datasource-<style>} package with a fox, a heart without FE0F in its image name,
   * a skin-tone component, a cloud whose image is missing and an emoji the catalog lacks.
   */
  static Path datasource(Path modules, String style) throws IOException {
    Path root = modules.resolve("emoji-datasource-" + style);
    Path img = root.resolve("img").resolve(style).resolve("64");
    Files.createDirectories(img);
    Files.writeString(
        root.resolve("emoji.json"),
        """
        [
         {"name":"FOX FACE","unified":"1F98A","image":"1f98a.png","short_names":["fox_face"],
          "category":"Animals & Nature","subcategory":"animal-mammal","has_img_%1$s":true},
         {"name":"HEAVY BLACK HEART","unified":"2764-FE0F","image":"2764-fe0f.png",
          "short_names":["heart"],"category":"Smileys & Emotion","subcategory":"heart",
          "has_img_%1$s":true,
          "skin_variations":{"1F3FB":{"unified":"2764-1F3FB","image":"2764-1f3fb.png"}}},
         {"name":"EMOJI MODIFIER FITZPATRICK TYPE-1-2","unified":"1F3FB","image":"1f3fb.png",
          "short_names":["skin-tone-2"],"category":"Component","subcategory":"skin-tone",
          "has_img_%1$s":true},
         {"name":"CLOUD","unified":"2601-FE0F","image":"2601-fe0f.png","short_names":["cloud"],
          "category":"Travel & Places","subcategory":"sky & weather","has_img_%1$s":false},
         {"name":null,"unified":"1FAE8","image":"1fae8.png","short_names":["shaking_face"],
          "category":"Smileys & Emotion","subcategory":"face-neutral-skeptical",
          "has_img_%1$s":true}
        ]
        """
            .formatted(style));
    String[] files = {"1f98a.png", "2764-fe0f.png", "1f3fb.png", "1fae8.png"};
    for (int i = 0; i < files.length; i++) {
      png(img.resolve(files[i]), COLOURS[i]);
    }
    return root;
  }

  /** Writes a 4 × 4 PNG of one ARGB colour, with a transparent top-left pixel. */
  static void png(Path file, int argb) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, argb);
      }
    }
    image.setRGB(0, 0, 0);
    ImageIO.write(image, "png", file.toFile());
  }
}
