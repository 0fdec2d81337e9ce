package dev.lit4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code lit eval} on the labelled sample images with the real default model. */
@ExtendWith(SharedDefaultModel.class)
class EvalCommandTest {
  private static final Path SET = CliRun.SAMPLES.resolve("labels.csv");

  @TempDir Path tmp;

  @BeforeAll
  static void testData() {
    CliRun.requireTestData();
  }

  @Test
  void eval_printsTheTable(ModelSource models) {
    CliRun run = CliRun.of(models, "eval", "--set", SET.toString());

    assertEquals(0, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().toList();
    assertEquals("model: default", lines.get(0));
    assertEquals("set:   " + SET + " (4 images, 4 labels, templates model)", lines.get(1));
    for (String metric :
        List.of(
            "top-1",
            "top-5",
            "balanced top-1",
            "chance",
            "majority share",
            "most-predicted share",
            "image->text R@1",
            "text->image R@10")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.matches("  " + metric + " +[01]\\.\\d{3}")),
          metric + "\n" + run.describe());
    }
    assertTrue(run.out().contains("  chance                  0.250"), run.describe());
  }

  @Test
  void eval_json_hasTheDocumentedShape_andDrawsTheConfusionMatrix(ModelSource models)
      throws IOException {
    Path png = tmp.resolve("confusion.png");

    CliRun run =
        CliRun.of(models, "eval", "--json", "--set", SET.toString(), "--confusion", png.toString());

    assertEquals(0, run.exitCode(), run.describe());
    JsonObject o = run.json();
    assertEquals("default", o.get("model").getAsString());
    assertEquals(SET.toString(), o.get("set").getAsString());
    assertEquals(4, o.get("images").getAsInt());
    assertEquals(
        List.of("dog", "house", "sneaker", "bag"),
        o.getAsJsonArray("labels").asList().stream().map(JsonElement::getAsString).toList());
    JsonObject z = o.getAsJsonObject("zeroShot");
    for (String key :
        List.of(
            "top1",
            "top5",
            "balancedTop1",
            "chance",
            "majorityShare",
            "mostPredictedShare",
            "meanClassCosine")) {
      assertTrue(z.has(key), key + " in " + z);
    }
    assertEquals(1.0, z.get("top5").getAsDouble(), "four labels: every image is top-5 correct");
    assertEquals(0.25, z.get("chance").getAsDouble(), 1e-12);
    JsonObject retrieval = o.getAsJsonObject("retrieval");
    assertEquals(4, retrieval.get("captions").getAsInt());
    for (String direction : List.of("imageToText", "textToImage")) {
      JsonObject d = retrieval.getAsJsonObject(direction);
      for (String key : List.of("r1", "r5", "r10", "meanRank", "medianRank", "queries")) {
        assertTrue(d.has(key), direction + "." + key);
      }
      assertEquals(4, d.get("queries").getAsInt());
      assertEquals(1.0, d.get("r5").getAsDouble(), "four candidates: always within 5");
    }
    JsonObject confusion = o.getAsJsonObject("confusion");
    JsonArray counts = confusion.getAsJsonArray("counts");
    int total = 0;
    int correct = 0;
    for (int t = 0; t < 4; t++) {
      JsonArray row = counts.get(t).getAsJsonArray();
      assertEquals(4, row.size());
      for (int p = 0; p < 4; p++) {
        total += row.get(p).getAsInt();
        correct += t == p ? row.get(p).getAsInt() : 0;
      }
    }
    assertEquals(4, total);
    assertEquals(z.get("top1").getAsDouble(), correct / 4.0, 1e-12);
    assertEquals(png.toString(), confusion.get("png").getAsString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image.getWidth() > 300 && image.getHeight() > 300);
  }

  @Test
  void eval_missingImage_failsWithExitOne_namingTheLineAndTheFile(ModelSource models)
      throws IOException {
    Path csv =
        Files.writeString(
            tmp.resolve("set.csv"),
            "path,label\n"
                + CliRun.SAMPLES.resolve("openclipart-dog.png")
                + ",dog\n"
                + "gone.png,cat\n");

    CliRun run = CliRun.of(models, "eval", "--set", csv.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(
        run.err()
            .contains(
                "\nlit eval: "
                    + csv
                    + " line 3: cannot read image "
                    + tmp.resolve("gone.png")
                    + ": MISSING"),
        run.describe());
    assertTrue(run.err().contains("fix the path or remove the line"), run.describe());
  }

  @Test
  void eval_setWithOneLabel_failsWithExitOne_beforeLoadingAModel() throws IOException {
    Path csv = Files.writeString(tmp.resolve("set.csv"), "path,label\na.png,dog\nb.png,dog\n");

    CliRun run = CliRun.of("eval", "--set", csv.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("needs images of at least two labels"), run.describe());
  }

  @Test
  void eval_setWithoutLabelColumn_failsWithExitOne_namingTheExpectedHeader() throws IOException {
    Path csv = Files.writeString(tmp.resolve("set.csv"), "path,class\na.png,dog\n");

    CliRun run = CliRun.of("eval", "--set", csv.toString());

    assertEquals(1, run.exitCode(), run.describe());
    assertTrue(run.err().contains("has no path and label columns"), run.describe());
    assertTrue(run.err().contains("path,label[,caption]"), run.describe());
  }
}
