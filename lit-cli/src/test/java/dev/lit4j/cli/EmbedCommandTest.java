package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.model.LitModel;
import dev.lit4j.store.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lit embed} of a small directory tree with the default model's image tower. */
@ExtendWith(SharedDefaultModel.class)
class EmbedCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void testData() {
    CliRun.requireTestData();
  }

  /** The four samples, two of them in a subdirectory, and a PNG that is not one. */
  private Path images() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("images/drawings"));
    Files.copy(CliRun.SAMPLES.resolve("openclipart-dog.png"), dir.resolve("dog.png"));
    Files.copy(CliRun.SAMPLES.resolve("openclipart-house.png"), dir.resolve("house.png"));
    Path root = dir.getParent();
    Files.copy(CliRun.SAMPLES.resolve("fashion-mnist-bag.png"), root.resolve("bag.png"));
    Files.copy(CliRun.SAMPLES.resolve("fashion-mnist-sneaker.png"), root.resolve("sneaker.png"));
    Files.writeString(root.resolve("broken.png"), "not a png");
    Files.writeString(root.resolve("notes.txt"), "not an image either");
    return root;
  }

  @Test
  void embed_directory_buildsTheStore_andReportsTheRejectsAtTheEnd(ModelSource models)
      throws IOException {
    Path store = tmp.resolve("store");

    CliRun run = CliRun.of(models, "embed", images().toString(), "--out", store.toString());

    assertEquals(0, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).startsWith("embedded 4 of 5 images into " + store), run.describe());
    assertTrue(lines.get(1).startsWith("rejected 1 (also in "), run.describe());
    assertTrue(lines.get(2).matches("  .*broken\\.png  UNKNOWN_FORMAT: .*"), run.describe());
    assertFalse(run.err().contains("\r"), run.describe());
    try (LitModel model = models.load(Optional.empty());
        EmbeddingStore s = EmbeddingStore.open(store, model.imageTower().identity())) {
      // Ids are the paths below the directory, sorted.
      assertEquals(
          List.of("bag.png", "drawings/dog.png", "drawings/house.png", "sneaker.png"), s.ids());
    }
  }

  @Test
  void embed_json_hasTheDocumentedShape_andASecondRunFindsTheStoreComplete(ModelSource models)
      throws IOException {
    Path images = images();
    Path store = tmp.resolve("store");
    CliRun first =
        CliRun.of(models, "embed", "--json", images.toString(), "--out", store.toString());

    CliRun second =
        CliRun.of(models, "embed", "--json", images.toString(), "--out", store.toString());

    assertEquals(0, first.exitCode(), first.describe());
    assertEquals(0, second.exitCode(), second.describe());
    for (CliRun run : List.of(first, second)) {
      JsonObject o = run.json();
      assertEquals(store.toString(), o.get("store").getAsString());
      assertEquals("default", o.get("model").getAsString());
      assertTrue(o.get("tower").getAsString().contains("mobilenet_v2"), o.toString());
      assertEquals(5, o.get("total").getAsInt());
      assertEquals(4, o.get("embedded").getAsInt());
      assertEquals(1, o.get("rejected").getAsInt());
      assertTrue(o.get("seconds").getAsDouble() >= 0);
      JsonArray rejects = o.getAsJsonArray("rejects");
      assertEquals(1, rejects.size());
      JsonObject reject = rejects.get(0).getAsJsonObject();
      assertEquals("broken.png", reject.get("id").getAsString());
      assertEquals("UNKNOWN_FORMAT", reject.get("reason").getAsString());
      assertTrue(reject.has("path") && reject.has("detail"), reject.toString());
    }
    assertEquals("", second.err(), "a complete store is only verified: no progress");
  }

  @Test
  void embed_manifest_resolvesItsPathsAgainstItsDirectory(ModelSource models) throws IOException {
    Path images = images();
    Path manifest =
        Files.writeString(
            images.resolve("images.csv"), "path,id\nbag.png,a-bag\ndrawings/dog.png,a-dog\n");

    CliRun run =
        CliRun.of(
            models, "embed", "--quiet", manifest.toString(), "--out", tmp.resolve("s").toString());

    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("embedded 2 of 2 images"), run.describe());
    assertEquals("", run.err());
  }

  @Test
  void embed_missingSource_failsWithExitOne_namingIt(ModelSource models) {
    Path missing = tmp.resolve("nowhere");

    CliRun run =
        CliRun.of(models, "embed", missing.toString(), "--out", tmp.resolve("s").toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().startsWith("lit embed: " + missing + ": no such file or directory"),
        run.describe());
  }

  @Test
  void embed_intoAForeignDirectory_failsWithExitOne_andLeavesItAlone(ModelSource models)
      throws IOException {
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("thesis.tex"), "precious");

    CliRun run = CliRun.of(models, "embed", images().toString(), "--out", foreign.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("is not empty and holds no embedding store"), run.describe());
    try (Stream<Path> files = Files.list(foreign)) {
      assertEquals(List.of(foreign.resolve("thesis.tex")), files.toList());
    }
  }
}
