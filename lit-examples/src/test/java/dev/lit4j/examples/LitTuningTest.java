package dev.lit4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.WhitenedImageTower;
import dev.lit4j.progress.ProgressListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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
  void run_onShippedData_raisesHeldOutZeroShotAboveChance_andReportsEverySet() throws IOException {
    Recipe recipe =
        Recipe.DEFAULT.toBuilder()
            .sources(EnumSet.of(TrainingSource.OPENCLIPART))
            .views(ShippedData.Views.EXCLUDED)
            .epochs(2)
            .build();
    LitTuning.Result r =
        LitTuning.run(
            new LitTuning.Options(
                ShippedData.locate(), out, recipe, 42, ProgressListener.silent()));

    int steps = 2 * (r.trainingPairs() / recipe.batchSize());
    assertEquals(steps, r.training().steps());
    assertTrue(r.trainingPairs() > 3000 && r.validationImages() > 300, r.toString());
    ZeroShotSetMetrics before = r.before().heldOut().zeroShot(LitTuning.TUX_PAINT);
    ZeroShotSetMetrics after = r.after().heldOut().zeroShot(LitTuning.TUX_PAINT);
    assertEquals(538, after.accuracy().count());
    assertTrue(
        after.accuracy().top5() > before.accuracy().top5() + 0.05
            && after.accuracy().top5() > TOP5_CHANCE + 0.1,
        "held-out top-5 accuracy before "
            + before.accuracy().top5()
            + ", after "
            + after.accuracy().top5());
    assertEquals(2000, r.after().heldOut().zeroShot(LitTuning.FASHION_MNIST).accuracy().count());
    // The baselines: a linear probe with labels on the locked features beats chance by far.
    assertTrue(r.linearProbes().get(LitTuning.TUX_PAINT).mean() > 0.4, r.linearProbes().toString());
    assertTrue(
        r.linearProbes().get(LitTuning.FASHION_MNIST).mean() > 0.6, r.linearProbes().toString());

    Path metrics = out.resolve("metrics.jsonl");
    List<JsonObject> lines =
        Files.readAllLines(metrics).stream()
            .map(line -> JsonParser.parseString(line).getAsJsonObject())
            .toList();
    assertEquals(
        steps, lines.stream().filter(o -> o.get("type").getAsString().equals("step")).count());
    BufferedImage plot = ImageIO.read(out.resolve("curves.png").toFile());
    assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100);

    // The saved model declares the recipe's prompts and classifies like the evaluated one.
    try (LitModel model = LitModel.load(r.training().modelDirectory())) {
      assertEquals(Optional.of(recipe.templates()), model.promptTemplates());
      assertTrue(model.imageTower() instanceof WhitenedImageTower);
    }

    Path json = out.resolve("results.json");
    ResultsReport report = ResultsReport.of(List.of(r));
    report.writeJson(json);
    Path chart = out.resolve("results.png");
    report.writeChart(chart);
    BufferedImage png = ImageIO.read(chart.toFile());
    assertTrue(png.getWidth() == 1100 && png.getHeight() == 450, "chart " + chart);
    JsonObject sets =
        JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonObject("sets");
    for (String set : List.of(LitTuning.TUX_PAINT, LitTuning.FASHION_MNIST)) {
      JsonObject s = sets.getAsJsonObject(set);
      for (String key : List.of("top-1", "balanced top-1", "top-5", "most-predicted share")) {
        assertTrue(s.getAsJsonObject(key).has("mean"), set + " " + key + " in " + s);
      }
      assertTrue(s.has("chance") && s.has("majorityShare") && s.has("linearProbe"), s.toString());
    }
    assertTrue(sets.getAsJsonObject(LitTuning.TUX_PAINT).has("image->text R@10"));
    assertTrue(sets.getAsJsonObject(LitTuning.TUX_PAINT).has("text->image R@1"));
    assertEquals(
        after.accuracy().top1(),
        sets.getAsJsonObject(LitTuning.TUX_PAINT)
            .getAsJsonObject("top-1")
            .get("mean")
            .getAsDouble(),
        1e-12);
  }
}
