package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.lit4j.model.LitModel;
import dev.lit4j.zeroshot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lit train} for a couple of steps on a four-image store with the real MiniLM text tower and
 * the real engine.
 */
@ExtendWith(SharedDefaultModel.class)
class TrainCommandTest {
  @TempDir static Path data;

  @TempDir Path tmp;

  private static Path store;
  private static Path captions;

  /** A store of the four sample images (default model's tower) and a caption for each. */
  @BeforeAll
  static void tinyStore(ModelSource models) throws IOException {
    CliRun.requireTestData();
    store = data.resolve("samples.store");
    CliRun embed =
        CliRun.of(models, "embed", "-q", CliRun.SAMPLES.toString(), "--out", store.toString());
    assertEquals(0, embed.exitCode(), embed.describe());
    captions =
        Files.writeString(
            data.resolve("captions.jsonl"),
            """
            {"id": "openclipart-dog.png", "caption": "a drawing of a dog"}
            {"id": "openclipart-house.png", "captions": ["a house", "a drawing of a house"]}
            {"id": "fashion-mnist-sneaker.png", "caption": "a sneaker"}
            {"id": "fashion-mnist-bag.png", "caption": "a bag"}
            """);
  }

  private List<String> args(Path run, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--store",
                store.toString(),
                "--captions",
                captions.toString(),
                "--out",
                run.toString(),
                "--steps",
                "2",
                "--batch-size",
                "2",
                "--checkpoint-every",
                "1"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void train_writesModelCurvesMetricsAndCheckpoint_andResumeContinuesTheRun(ModelSource models)
      throws IOException {
    Path run = tmp.resolve("run");
    String set = CliRun.SAMPLES.resolve("labels.csv").toString();

    CliRun first = CliRun.of(models, args(run, "--json", "--eval-set", set).toArray(String[]::new));

    assertEquals(0, first.exitCode(), first.describe());
    JsonObject o = first.json();
    assertEquals(2, o.get("steps").getAsInt());
    assertEquals(4, o.get("pairs").getAsInt());
    assertEquals("softmax", o.get("loss").getAsString());
    assertTrue(Double.isFinite(o.get("finalLoss").getAsDouble()), o.toString());
    assertTrue(o.get("temperature").getAsDouble() > 0, o.toString());
    assertEquals(run.resolve("model").toString(), o.get("model").getAsString());
    assertEquals(run.resolve("curves.png").toString(), o.get("curves").getAsString());
    assertEquals(run.resolve("metrics.jsonl").toString(), o.get("metrics").getAsString());
    assertEquals(run.resolve("checkpoints").toString(), o.get("checkpoints").getAsString());
    JsonObject evaluation = o.getAsJsonObject("evaluation");
    assertEquals(2, evaluation.get("step").getAsInt());
    assertTrue(
        evaluation.has("evalTop1") && evaluation.has("imageToTextR1"), evaluation.toString());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/step-000000002")));
    // The pairs were streamed from the store: their caption index lies beside the captions.
    assertTrue(
        Files.isRegularFile(captions.resolveSibling(captions.getFileName() + ".lit4j-index")),
        "no caption index beside " + captions);
    BufferedImage curves = ImageIO.read(run.resolve("curves.png").toFile());
    assertTrue(curves.getWidth() > 100 && curves.getHeight() > 100);
    assertTrue(first.err().contains("LiT-tuning ["), first.describe());
    assertTrue(!first.err().contains("\r"), first.describe());
    try (LitModel trained = LitModel.load(run.resolve("model"))) {
      assertEquals(Optional.of(PromptTemplates.SIMPLE_7), trained.promptTemplates());
    }

    CliRun again = CliRun.of(models, args(run).toArray(String[]::new));
    assertEquals(1, again.exitCode(), again.describe());
    assertTrue(
        again
            .err()
            .contains("holds checkpoints of an earlier run (newest: step-000000002); add --resume"),
        again.describe());

    CliRun changed =
        CliRun.of(models, args(run, "--resume", "--learning-rate", "1e-2").toArray(String[]::new));
    assertEquals(1, changed.exitCode(), changed.describe());
    assertTrue(changed.err().contains("learningRate"), changed.describe());

    CliRun resumed = CliRun.of(models, args(run, "--resume", "--json").toArray(String[]::new));
    assertEquals(0, resumed.exitCode(), resumed.describe());
    JsonObject r = resumed.json();
    assertEquals(
        run.resolve("checkpoints/step-000000002").toString(), r.get("resumedFrom").getAsString());
    assertEquals(2, r.get("steps").getAsInt());
    assertEquals(o.get("finalLoss").getAsDouble(), r.get("finalLoss").getAsDouble(), 0.0);
  }

  @Test
  void train_text_namesWhereEverythingIs(ModelSource models) {
    Path run = tmp.resolve("run");

    CliRun result =
        CliRun.of(models, args(run, "--quiet", "--loss", "sigmoid").toArray(String[]::new));

    assertEquals(0, result.exitCode(), result.describe());
    List<String> lines = result.out().lines().toList();
    assertTrue(lines.get(0).startsWith("trained 2 steps on 4 pairs in "), result.describe());
    assertEquals("model:       " + run.resolve("model"), lines.get(1));
    assertEquals("curves:      " + run.resolve("curves.png"), lines.get(2));
    assertEquals("", result.err());
  }

  @Test
  void train_batchLargerThanTheStore_failsWithExitOne_namingBoth(ModelSource models) {
    CliRun run =
        CliRun.of(
            models,
            "train",
            "--store",
            store.toString(),
            "--captions",
            captions.toString(),
            "--out",
            tmp.resolve("run").toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("batch size 256 exceeds the data set size 4"), run.describe());
  }

  @Test
  void train_captionsOfUnknownImages_failWithExitOne_namingThem(ModelSource models)
      throws IOException {
    Path wrong =
        Files.writeString(
            tmp.resolve("captions.jsonl"), "{\"id\": \"cat.png\", \"caption\": \"a cat\"}\n");

    CliRun run =
        CliRun.of(
            models,
            "train",
            "--store",
            store.toString(),
            "--captions",
            wrong.toString(),
            "--out",
            tmp.resolve("run").toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("cat.png"), run.describe());
  }

  @Test
  void train_resumeWithoutCheckpoint_failsWithExitOne(ModelSource models) {
    CliRun run = CliRun.of(models, args(tmp.resolve("fresh"), "--resume").toArray(String[]::new));

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("--resume: there is no checkpoint in"), run.describe());
  }
}
