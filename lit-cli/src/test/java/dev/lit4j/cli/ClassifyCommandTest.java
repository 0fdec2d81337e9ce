package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.lit4j.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lit classify} on the shipped sample images with the real default model and engine. */
@ExtendWith(SharedDefaultModel.class)
class ClassifyCommandTest {
  private static final Path DOG = CliRun.SAMPLES.resolve("openclipart-dog.png");
  private static final Path SNEAKER = CliRun.SAMPLES.resolve("fashion-mnist-sneaker.png");
  private static final String LABELS = "dog,cat,house,car,sneaker,bag";

  @TempDir Path tmp;

  @BeforeAll
  static void testData() {
    CliRun.requireTestData();
  }

  @Test
  void classify_printsALinePerImage_withTheTopLabelsBestFirst(ModelSource models) {
    CliRun run =
        CliRun.of(models, "classify", "--labels", LABELS, DOG.toString(), SNEAKER.toString());

    assertEquals(0, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().toList();
    assertEquals(2, lines.size(), run.describe());
    assertTrue(
        lines
            .get(0)
            .matches(".*openclipart-dog\\.png +dog +0\\.\\d\\d .+ \\d\\.\\d\\d .+ \\d\\.\\d\\d"),
        lines.get(0));
    assertTrue(
        lines.get(1).matches(".*fashion-mnist-sneaker\\.png +sneaker +0\\.\\d\\d .*"),
        lines.get(1));
    // Not a terminal: progress as plain lines, never a carriage return.
    assertFalse(run.err().contains("\r"), run.describe());
    assertTrue(run.err().contains("classifying ["), run.describe());
  }

  @Test
  void classify_json_hasTheDocumentedShape(ModelSource models) {
    CliRun run =
        CliRun.of(
            models,
            "classify",
            "--json",
            "--top",
            "2",
            "--labels",
            LABELS,
            CliRun.SAMPLES.toString());

    assertEquals(0, run.exitCode(), run.describe());
    JsonObject o = run.json();
    assertEquals("default", o.get("model").getAsString());
    assertEquals("model", o.get("templates").getAsString());
    assertEquals(6, o.getAsJsonArray("labels").size());
    JsonArray images = o.getAsJsonArray("images");
    assertEquals(4, images.size(), "a directory stands for its four images");
    for (JsonElement e : images) {
      JsonObject image = e.getAsJsonObject();
      assertTrue(Files.isRegularFile(Path.of(image.get("image").getAsString())));
      JsonArray top = image.getAsJsonArray("top");
      assertEquals(2, top.size());
      double first = top.get(0).getAsJsonObject().get("score").getAsDouble();
      double second = top.get(1).getAsJsonObject().get("score").getAsDouble();
      assertTrue(first >= second && first <= 1 && second >= 0, top.toString());
      assertTrue(top.get(0).getAsJsonObject().has("cosine"), top.toString());
      assertTrue(top.get(0).getAsJsonObject().has("label"), top.toString());
    }
  }

  @Test
  void missingImage_isAnErrorOnStderr_theOthersAreStillClassified_exitOne(ModelSource models) {
    Path missing = tmp.resolve("missing.png");

    CliRun run =
        CliRun.of(
            models, "classify", "--json", "--labels", LABELS, missing.toString(), DOG.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().contains("lit classify: cannot read image " + missing + ": MISSING"),
        run.describe());
    JsonArray images = run.json().getAsJsonArray("images");
    assertTrue(images.get(0).getAsJsonObject().get("error").getAsString().contains("MISSING"));
    assertEquals(
        "dog",
        images
            .get(1)
            .getAsJsonObject()
            .getAsJsonArray("top")
            .get(0)
            .getAsJsonObject()
            .get("label")
            .getAsString());
  }

  @Test
  void unreadableModelDirectory_failsWithExitOne_namingItAndTheFix(ModelSource models)
      throws IOException {
    Path notAModel = Files.createDirectory(tmp.resolve("not-a-model"));
    Files.writeString(notAModel.resolve("notes.txt"), "hello");

    CliRun run =
        CliRun.of(
            models, "classify", "--model", notAModel.toString(), "--labels", "a,b", DOG.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().startsWith("lit classify: cannot load the model in " + notAModel + " (--model)"),
        run.describe());
    assertTrue(run.err().contains("lit-model.json"), run.describe());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose\n" + run.describe());
    assertEquals("", run.out());
  }

  @Test
  void corruptModelJson_withVerbose_printsTheStackTraceToo(ModelSource models) throws IOException {
    Path broken = Files.createDirectory(tmp.resolve("broken-model"));
    Files.writeString(broken.resolve("lit-model.json"), "{ not json");

    CliRun run =
        CliRun.of(
            models,
            "classify",
            "--verbose",
            "--model",
            broken.toString(),
            "--labels",
            "a,b",
            DOG.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err().contains(broken.resolve("lit-model.json") + " is not valid JSON"),
        run.describe());
    assertTrue(run.err().contains("\tat "), "--verbose shows the stack trace\n" + run.describe());
  }

  @Test
  void labelsFileAndTemplatesFile_areRead_andQuietPrintsNoProgress(ModelSource models)
      throws IOException {
    Path labels = Files.writeString(tmp.resolve("labels.txt"), "# animals\ndog\n\ncat\nhouse\n");
    Path templates = Files.writeString(tmp.resolve("templates.txt"), "a drawing of a {}.\n{}\n");

    CliRun run =
        CliRun.of(
            models,
            "classify",
            "--quiet",
            "--json",
            "--labels-file",
            labels.toString(),
            "--templates",
            templates.toString(),
            DOG.toString());

    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("", run.err());
    JsonObject o = run.json();
    assertEquals(
        List.of("dog", "cat", "house"),
        o.getAsJsonArray("labels").asList().stream().map(JsonElement::getAsString).toList());
    assertEquals(templates.toString(), o.get("templates").getAsString());
  }

  @Test
  void duplicateLabels_failWithExitOne_namingThem(ModelSource models) {
    CliRun run = CliRun.of(models, "classify", "--labels", "dog,cat,dog", DOG.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().startsWith("lit classify: "), run.describe());
    assertTrue(run.err().contains("dog"), run.describe());
  }

  @Test
  void run_returnsTheResult(ModelSource models) throws IOException {
    ClassifyCommand.Result r;
    try (var model = models.load(java.util.Optional.empty())) {
      r =
          ClassifyCommand.run(
              new ClassifyCommand.Options(
                  List.of("dog", "house"), List.of(DOG), 1, TemplateChoice.MODEL),
              model,
              "default",
              ProgressListener.silent());
    }

    assertEquals(0, r.failures());
    assertEquals("dog", r.images().get(0).top().get(0).label());
    assertEquals(1, r.images().get(0).top().size());
  }
}
