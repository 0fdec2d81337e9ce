package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.eval.ClassificationMetrics;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.loss.LossKind;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.training.TrainingLength;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the end-to-end example at toy scale on the real shipped embeddings, with the real MiniLM
 * text tower on the real PyTorch engine.
 */
class LitTuningTest {

  /** Top-5 chance level with 15 classes. */
  private static final double TOP5_CHANCE = 5.0 / 15;

  @TempDir Path out;

  @Test
  void run_onShippedData_raisesHeldOutZeroShotTop5AboveChance() throws IOException {
    LitTuning.Result r =
        LitTuning.run(
            new LitTuning.Options(
                ShippedData.locate(),
                out,
                LossKind.SOFTMAX,
                TrainingLength.steps(30),
                128,
                1e-4,
                42,
                ProgressListener.silent()));

    assertEquals(30, r.training().steps());
    assertEquals(3939, r.trainingPairs(), "4,028 drawings less 89 near-duplicates");
    ClassificationMetrics before = r.before().zeroShot().orElseThrow();
    ClassificationMetrics after = r.after().zeroShot().orElseThrow();
    assertEquals(538, after.count());
    assertTrue(
        after.top5() > before.top5() + 0.05 && after.top5() > TOP5_CHANCE + 0.1,
        "held-out top-5 accuracy before " + before.top5() + ", after " + after.top5());

    List<JsonObject> steps =
        Files.readAllLines(r.metrics()).stream()
            .map(line -> JsonParser.parseString(line).getAsJsonObject())
            .filter(o -> o.get("type").getAsString().equals("step"))
            .toList();
    assertEquals(30, steps.size());
    JsonObject first = steps.get(0);
    JsonObject last = steps.get(29);
    assertEquals(30, last.get("step").getAsInt());
    assertTrue(
        last.get("loss").getAsDouble() < first.get("loss").getAsDouble(),
        "loss should fall: " + first + " -> " + last);
    BufferedImage plot = ImageIO.read(r.plot().toFile());
    assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100, "plot " + r.plot());
  }
}
