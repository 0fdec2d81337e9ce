package dev.lit4j.defaultmodel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIndexTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  @TempDir Path tmp;

  private static String index(String... lines) {
    return ModelIndex.HEADER + "\n" + String.join("\n", lines) + "\n";
  }

  private static IllegalArgumentException parseFails(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ModelIndex.parse(text, "idx"));
  }

  @Test
  void parse_readsEntriesSortedByPath() {
    ModelIndex i =
        ModelIndex.parse(index(SHA_B + " 12 text/w.bin", SHA_A + " 3 lit-model.json"), "idx");
    assertEquals(
        List.of(
            new ModelIndex.Entry(SHA_A, 3, "lit-model.json"),
            new ModelIndex.Entry(SHA_B, 12, "text/w.bin")),
        i.entries());
    assertEquals(16, i.key().length());
  }

  @Test
  void key_changesWhenAnyFileChanges() {
    String one = index(SHA_A + " 3 lit-model.json");
    String other = index(SHA_B + " 3 lit-model.json");
    assertEquals(ModelIndex.parse(one, "a").key(), ModelIndex.parse(one, "b").key());
    assertNotEquals(ModelIndex.parse(one, "a").key(), ModelIndex.parse(other, "a").key());
  }

  @Test
  void parse_withoutHeader_namesTheExpectedHeader() {
    IllegalArgumentException e = parseFails(SHA_A + " 3 lit-model.json\n");
    assertTrue(e.getMessage().contains(ModelIndex.HEADER), e.getMessage());
  }

  @Test
  void parse_withMalformedLine_namesTheLineNumberAndText() {
    IllegalArgumentException e = parseFails(index(SHA_A + " 3 lit-model.json", "abc 3 x"));
    assertTrue(e.getMessage().contains("idx line 3 'abc 3 x'"), e.getMessage());
  }

  @Test
  void parse_withPathLeavingTheDirectory_rejectsIt() {
    IllegalArgumentException e =
        parseFails(index(SHA_A + " 3 lit-model.json", SHA_B + " 1 ../evil"));
    assertTrue(e.getMessage().contains("'../evil'"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void parse_withAbsolutePath_rejectsIt() {
    IllegalArgumentException e = parseFails(index(SHA_A + " 3 /etc/passwd"));
    assertTrue(e.getMessage().contains("'/etc/passwd'"), e.getMessage());
  }

  @Test
  void parse_withDuplicatePath_namesIt() {
    IllegalArgumentException e =
        parseFails(index(SHA_A + " 3 lit-model.json", SHA_B + " 3 lit-model.json"));
    assertTrue(e.getMessage().contains("lit-model.json a second time"), e.getMessage());
  }

  @Test
  void parse_withoutTheModelConfig_saysItIsNoModel() {
    IllegalArgumentException e = parseFails(index(SHA_A + " 3 weights.bin"));
    assertTrue(e.getMessage().contains("does not list lit-model.json"), e.getMessage());
  }

  @Test
  void indexOf_aDirectory_listsEveryFileWithSizeAndChecksumAndParsesBack() throws IOException {
    Path model = Files.createDirectories(tmp.resolve("model/sub"));
    Files.writeString(tmp.resolve("model/lit-model.json"), "{}");
    Files.writeString(model.resolve("w.bin"), "12345");
    String text = ModelIndexWriter.indexOf(tmp.resolve("model"));
    assertEquals(
        index(
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a 2 lit-model.json",
            "5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5 5 sub/w.bin"),
        text);
    ModelIndex parsed = ModelIndex.parse(text, "written");
    assertTrue(parsed.isCompleteAt(tmp.resolve("model")));
  }
}
