package dev.lit4j.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private IllegalArgumentException failing(String name, String text) throws IOException {
    Path file = write(name, text);
    return assertThrows(IllegalArgumentException.class, () -> Manifest.read(file));
  }

  @Test
  void csv_withQuotesIdColumnFirstAndExtraColumns_parses() throws IOException {
    Path abs = dir.resolve("abs.png").toAbsolutePath();
    Path file =
        write(
            "m.csv",
            "\uFEFFid,caption,path\n"
                + "a,\"a cat, sleeping\",img/a.png\n"
                + "\n"
                + "b,\"say \"\"hi\"\"\",\""
                + abs
                + "\"\n");

    Manifest m = Manifest.read(file);

    assertEquals(2, m.entries().size());
    ManifestEntry a = m.entries().get(0);
    assertEquals(
        new ManifestEntry(2, "img/a.png", "a", dir.toAbsolutePath().resolve("img/a.png")), a);
    assertEquals(abs, m.entries().get(1).file());
    assertEquals(4, m.entries().get(1).line());
    assertEquals(64, m.sha256().length());
  }

  @Test
  void csv_withoutIdColumn_usesThePathAsId() throws IOException {
    Manifest m = Manifest.read(write("m.csv", "path\nx.png\ny.png\n"));

    assertEquals(List.of("x.png", "y.png"), m.entries().stream().map(ManifestEntry::id).toList());
  }

  @Test
  void jsonl_parsesPathAndOptionalId() throws IOException {
    Manifest m =
        Manifest.read(
            write("m.jsonl", "{\"path\": \"a.png\", \"id\": \"A\"}\n\n{\"path\": \"b.png\"}\n"));

    assertEquals(List.of("A", "b.png"), m.entries().stream().map(ManifestEntry::id).toList());
    assertEquals(3, m.entries().get(1).line());
  }

  @Test
  void sha256_changesWithTheContent() throws IOException {
    String first = Manifest.read(write("a.csv", "path\nx.png\n")).sha256();
    String second = Manifest.read(write("b.csv", "path\ny.png\n")).sha256();

    assertTrue(!first.equals(second));
    // printf 'path\nx.png\n' | sha256sum
    assertEquals("19200ff9403abd41b46daf1e20bb94e87c6a0502c0c25d0999053f73bcc531cc", first);
  }

  @Test
  void csv_unclosedQuote_namesTheLine() throws IOException {
    IllegalArgumentException e = failing("m.csv", "path,id\na.png,a\n\"b.png,b\n");

    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("not closed"), e.getMessage());
  }

  @Test
  void csv_wrongFieldCount_namesTheLine() throws IOException {
    IllegalArgumentException e = failing("m.csv", "path,id\na.png,a\nb.png\n");

    assertTrue(e.getMessage().contains("line 3 has 1 fields, the header has 2"), e.getMessage());
  }

  @Test
  void csv_withoutPathColumn_throws() throws IOException {
    IllegalArgumentException e = failing("m.csv", "file,id\na.png,a\n");

    assertTrue(e.getMessage().contains("no 'path' column"), e.getMessage());
  }

  @Test
  void csv_emptyId_namesTheLine() throws IOException {
    IllegalArgumentException e = failing("m.csv", "path,id\na.png,a\nb.png,\n");

    assertTrue(
        e.getMessage().contains("line 3") && e.getMessage().contains("id is empty"),
        e.getMessage());
  }

  @Test
  void jsonl_malformedLine_namesTheLine() throws IOException {
    IllegalArgumentException e =
        failing("m.jsonl", "{\"path\": \"a.png\"}\n{\"path\": \"b.png\"\n");

    assertTrue(e.getMessage().contains("line 2 is not valid JSON"), e.getMessage());
  }

  @Test
  void jsonl_pathNotAString_namesTheLineAndValue() throws IOException {
    IllegalArgumentException e = failing("m.jsonl", "{\"path\": 7}\n");

    assertTrue(
        e.getMessage().contains("line 1") && e.getMessage().contains("got 7"), e.getMessage());
  }

  @Test
  void jsonl_arrayInsteadOfObject_namesTheLine() throws IOException {
    IllegalArgumentException e = failing("m.jsonl", "{\"path\": \"a.png\"}\n[\"b.png\"]\n");

    assertTrue(e.getMessage().contains("line 2 is not a JSON object"), e.getMessage());
  }

  @Test
  void duplicateIds_nameBothLines() throws IOException {
    IllegalArgumentException e =
        failing("m.jsonl", "{\"path\": \"a.png\"}\n{\"path\": \"b.png\"}\n{\"path\": \"a.png\"}\n");

    assertTrue(e.getMessage().contains("duplicate id 'a.png' on lines 1 and 3"), e.getMessage());
  }

  @Test
  void unknownExtension_throws() throws IOException {
    IllegalArgumentException e = failing("m.txt", "path\na.png\n");

    assertTrue(
        e.getMessage().contains("m.txt") && e.getMessage().contains(".csv or .jsonl"),
        e.getMessage());
  }

  @Test
  void emptyManifest_throws() throws IOException {
    IllegalArgumentException e = failing("m.csv", "path,id\n\n");

    assertTrue(e.getMessage().contains("lists no images"), e.getMessage());
  }
}
