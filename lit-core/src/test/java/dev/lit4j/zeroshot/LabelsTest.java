package dev.lit4j.zeroshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void canonicalize_lowerCasesAndTurnsUnderscoresIntoSpaces() {
    assertEquals("golden retriever", Labels.canonicalize("Golden_Retriever"));
  }

  @Test
  void canonicalize_removesStrayPunctuationAndCollapsesWhitespace() {
    assertEquals("kite bird of prey", Labels.canonicalize("  kite  (bird of prey). "));
    assertEquals("baluster handrail", Labels.canonicalize("baluster / handrail"));
    assertEquals("st bernard", Labels.canonicalize("St. Bernard"));
  }

  @Test
  void canonicalize_keepsHyphensAndApostrophesInsideWords() {
    assertEquals("t-shirt", Labels.canonicalize("T-shirt"));
    assertEquals("potter's wheel", Labels.canonicalize("potter's wheel"));
    assertEquals("dogs", Labels.canonicalize("'dogs'"));
  }

  @Test
  void canonicalize_keepsNonLatinLetters() {
    assertEquals("café über", Labels.canonicalize("Café_Über!"));
  }

  @Test
  void canonicalizeAll_keepsOrder() {
    assertEquals(List.of("dog", "cat"), Labels.canonicalizeAll(List.of("Dog", "cat!")));
  }

  @Test
  void canonicalizeAll_withEmptyList_throws() {
    List<String> none = List.of();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Labels.canonicalizeAll(none));
    assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
  }

  @Test
  void canonicalizeAll_withNullLabel_namesIndex() {
    List<String> labels = Arrays.asList("cat", null);
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Labels.canonicalizeAll(labels));
    assertEquals("labels[1]", e.getMessage());
  }

  @Test
  void canonicalizeAll_withBlankLabel_namesIndexAndOriginal() {
    List<String> labels = List.of("cat", " _?! ");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Labels.canonicalizeAll(labels));
    assertTrue(e.getMessage().contains("label 1 ' _?! '"), e.getMessage());
  }

  @Test
  void canonicalizeAll_withDuplicatesAfterCanonicalisation_namesBothOriginals() {
    List<String> labels = List.of("Golden_Retriever", "cat", "golden retriever.");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Labels.canonicalizeAll(labels));
    assertTrue(e.getMessage().contains("0 'Golden_Retriever'"), e.getMessage());
    assertTrue(e.getMessage().contains("2 'golden retriever.'"), e.getMessage());
  }
}
