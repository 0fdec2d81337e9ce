package dev.lit4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiSourcesTest {

  @TempDir Path modules;

  private EmojiCatalog catalog() throws IOException {
    return EmojiCatalog.read(EmojiFixtures.openmoji(modules));
  }

  private static List<String> ids(List<CaptionedImage> images) {
    return images.stream().map(CaptionedImage::id).toList();
  }

  @Test
  void catalog_skipsSkinTonesAndComponents_andSpellsFlagsAsCaptions() throws IOException {
    EmojiCatalog catalog = catalog();
    assertEquals(
        List.of("1F98A", "2764-FE0F", "1F1E9-1F1EA", "2601-FE0F"),
        catalog.entries().stream().map(EmojiCatalog.Entry::hexcode).toList());
    assertEquals("flag of Germany", catalog.get("1f1e9-1f1ea").orElseThrow().annotation());
    assertEquals(
        List.of("face", "fox", "cunning", "red"), catalog.get("1F98A").orElseThrow().keywords());
  }

  @Test
  void concept_dropsVariationSelectors_soEveryStyleSharesAGroup() {
    assertEquals("2764", EmojiCatalog.concept("2764-fe0f"));
    assertEquals("2764", EmojiCatalog.concept("2764"));
    assertEquals("1F469-200D-1F4BB", EmojiCatalog.concept("1f469-200d-1f4bb"));
    assertTrue(EmojiCatalog.hasSkinTone("1f44b-1f3fd"));
    assertFalse(EmojiCatalog.hasSkinTone("1f44b"));
  }

  @Test
  void categoryName_spellsUnicodeSubgroupsOutTheSameWayForEveryPackage() {
    assertEquals("animal mammal", EmojiCatalog.categoryName("animal-mammal"));
    assertEquals("sky weather", EmojiCatalog.categoryName("sky & weather"));
    assertEquals("sky weather", EmojiCatalog.categoryName("sky-weather"));
  }

  @Test
  void captions_giveNameAnnotationAndNameWithKeywords_withoutRepeats() throws IOException {
    EmojiCatalog catalog = catalog();
    assertEquals(
        List.of("fox face", "fox", "fox face, face, cunning, red"),
        EmojiCatalog.captions("FOX FACE", catalog.get("1F98A"), List.of("fox_face")));
    assertEquals(List.of("kite"), EmojiCatalog.captions("kite", Optional.empty(), List.of()));
  }

  @Test
  void datasource_readsPngsWithJoinedAnnotations_skippingSkinTonesAndMissingImages()
      throws IOException {
    EmojiCatalog catalog = catalog();
    Path root = EmojiFixtures.datasource(modules, "google");
    List<CaptionedImage> emoji = EmojiDatasource.read(root, EmojiDatasource.Style.GOOGLE, catalog);
    assertEquals(List.of("1f98a.png", "1fae8.png", "2764-fe0f.png"), ids(emoji));
    CaptionedImage fox = emoji.get(0);
    assertEquals("animal mammal", fox.category());
    assertEquals("1F98A", fox.group());
    assertEquals(List.of("fox face", "fox", "fox face, face, cunning, red"), fox.captions());
    CaptionedImage heart = emoji.get(2);
    assertEquals("2764", heart.group());
    assertEquals(
        List.of("heavy black heart", "red heart", "heavy black heart, heart"), heart.captions());
    // no name and no catalog entry: the short name is the caption
    assertEquals(List.of("shaking face"), emoji.get(1).captions());
    assertEquals("face neutral skeptical", emoji.get(1).category());
  }

  @Test
  void datasource_withoutPackage_namesTheNpmCommand() {
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () ->
                EmojiDatasource.read(
                    modules.resolve("none"), EmojiDatasource.Style.TWITTER, catalog()));
    assertTrue(e.getMessage().contains("emoji-datasource-twitter@16.0.0"), e.getMessage());
  }

  @Test
  void styles_markAppleAndFacebookAsNotRedistributable() {
    assertTrue(EmojiDatasource.Style.GOOGLE.redistributable());
    assertTrue(EmojiDatasource.Style.TWITTER.redistributable());
    assertFalse(EmojiDatasource.Style.APPLE.redistributable());
    assertFalse(EmojiDatasource.Style.FACEBOOK.redistributable());
  }

  @Test
  void openmoji_usesRendersAlreadyThere_andSharesGroupsWithOtherStyles() throws IOException {
    EmojiCatalog catalog = catalog();
    Path renders = modules.resolve("renders");
    for (String hex : new String[] {"1F98A", "2764-FE0F", "1F1E9-1F1EA"}) {
      EmojiFixtures.png(renders.resolve(hex + ".png"), 0xFF00AA00);
    }
    // 2601-FE0F has an SVG but no render: delete its SVG so that nothing needs rsvg-convert
    Files.delete(modules.resolve("openmoji/color/svg/2601-FE0F.svg"));
    List<CaptionedImage> emoji = OpenMoji.read(modules.resolve("openmoji"), catalog, renders);
    assertEquals(List.of("1F1E9-1F1EA.png", "1F98A.png", "2764-FE0F.png"), ids(emoji));
    assertEquals("country flag", emoji.get(0).category());
    assertEquals(List.of("flag of germany", "flag of germany, flag"), emoji.get(0).captions());
    assertEquals("2764", emoji.get(2).group());
  }

  @Test
  void fluent_joinsWebpFilesToTheCatalog_skippingSkinTonesAndUnknownEmoji() throws IOException {
    EmojiCatalog catalog = catalog();
    Path assets = modules.resolve("@lobehub/fluent-emoji-3d/assets");
    Files.createDirectories(assets);
    for (String f : new String[] {"1f98a.webp", "2764.webp", "1f44b-1f3fd.webp", "1f9ff.webp"}) {
      Files.write(assets.resolve(f), new byte[] {1}); // never decoded by the reader
    }
    List<CaptionedImage> emoji = FluentEmoji3d.read(assets.getParent(), catalog);
    assertEquals(List.of("1f98a.webp", "2764.webp"), ids(emoji));
    assertEquals("2764", emoji.get(1).group());
    assertEquals("heart", emoji.get(1).category());
    assertEquals(List.of("red heart", "red heart, heart"), emoji.get(1).captions());
  }
}
