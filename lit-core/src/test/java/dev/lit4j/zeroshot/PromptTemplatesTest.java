package dev.lit4j.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplatesTest {

  @Test
  void namedSets_haveTheReferenceSizesAndDistinctTemplates() {
    assertEquals(80, PromptTemplates.CLIP_IMAGENET_80.size());
    assertEquals(80, new HashSet<>(PromptTemplates.CLIP_IMAGENET_80.templates()).size());
    assertEquals(7, PromptTemplates.SIMPLE_7.size());
    assertEquals(List.of("a photo of a {}."), PromptTemplates.SINGLE.templates());
  }

  @Test
  void simple7_isASubsetOfClip80() {
    assertTrue(
        PromptTemplates.CLIP_IMAGENET_80
            .templates()
            .containsAll(PromptTemplates.SIMPLE_7.templates()));
  }

  @Test
  void apply_replacesThePlaceholderInEveryTemplateInOrder() {
    PromptTemplates t = PromptTemplates.of("a {}.", "the {} in a video game.");
    assertEquals(List.of("a dog.", "the dog in a video game."), t.apply("dog"));
  }

  @Test
  void apply_keepsRegexCharactersOfTheLabelLiterally() {
    assertEquals(List.of("a photo of a $1 c++."), PromptTemplates.SINGLE.apply("$1 c++"));
  }

  @Test
  void of_withNoTemplates_throws() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PromptTemplates(List.of()));
    assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
  }

  @Test
  void of_withTemplateLackingPlaceholder_namesTemplateAndIndex() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of("a {}.", "a photo"));
    assertTrue(e.getMessage().contains("template 1 'a photo'"), e.getMessage());
  }

  @Test
  void of_withTwoPlaceholders_throws() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of("a {} and a {}"));
    assertTrue(e.getMessage().contains("template 0 'a {} and a {}'"), e.getMessage());
  }

  @Test
  void of_withNullTemplate_namesIndex() {
    List<String> templates = new ArrayList<>();
    templates.add("a {}.");
    templates.add(null);
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> new PromptTemplates(templates));
    assertEquals("templates[1]", e.getMessage());
  }

  @Test
  void templates_isACopyOfTheCallersList() {
    List<String> source = new ArrayList<>(List.of("a {}."));
    PromptTemplates t = new PromptTemplates(source);
    source.add("the {}.");
    assertEquals(1, t.size());
  }
}
