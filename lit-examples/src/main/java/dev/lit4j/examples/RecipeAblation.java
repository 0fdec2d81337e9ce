package dev.lit4j.examples;

import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.examples.data.TrainingSource;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.pytorch.training.CaptionFeatureCache;
import dev.lit4j.retrieval.RetrievalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The recipe, built up one change at a time from a plain LiT run on the original data to {@link
 * Recipe#DEFAULT}, each step trained and measured with {@link LitTuning}: the table in {@code
 * docs/RESULTS.md}. Every change was kept because it raised the validation numbers; the held-out
 * columns are shown, never used to choose.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java
 * -Dexec.mainClass=dev.lit4j.examples.RecipeAblation} (about 20 minutes on 2 cores). Arguments:
 * {@code [outputDirectory] [seed]}; writes {@code ablation.md} there.
 */
public final class RecipeAblation {
  private RecipeAblation() {}

  /**
   * One step of the ablation.
   *
   * @param change what this step changes from the previous one
   * @param recipe the recipe it trains
   */
  public record Step(String change, Recipe recipe) {
    /** Validates that nothing is null. */
    public Step {
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(recipe, "recipe");
    }
  }

  /** The steps, from a plain run to the default recipe. */
  public static List<Step> steps() {
    Recipe plain =
        Recipe.DEFAULT.toBuilder()
            .sources(EnumSet.of(TrainingSource.OPENCLIPART))
            .views(ShippedData.Views.EXCLUDED)
            .captions(TrainingCaptions.Style.OWN)
            .whitening(0, Recipe.DEFAULT.whiteningEpsilon())
            .build();
    Recipe whitened =
        plain.toBuilder()
            .whitening(Recipe.DEFAULT.whiteningComponents(), Recipe.DEFAULT.whiteningEpsilon())
            .build();
    Recipe categories = whitened.toBuilder().captions(TrainingCaptions.Style.WITH_CATEGORY).build();
    Recipe emoji = categories.toBuilder().sources(Recipe.DEFAULT.sources()).build();
    Recipe views = emoji.toBuilder().views(Recipe.DEFAULT.views()).build();
    return List.of(
        new Step("Open Clip Art only, raw embeddings, MiniLM projection", plain),
        new Step("+ whitened image embeddings", whitened),
        new Step("+ category captions", categories),
        new Step("+ emoji in four styles", emoji),
        new Step("+ augmented views", views),
        new Step("+ captions in prompt form (the default recipe)", Recipe.DEFAULT));
  }

  /**
   * Runs every step and writes the table.
   *
   * @param args optional {@code [outputDirectory] [seed]}
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/recipe-ablation");
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
    ShippedData data = ShippedData.locate();
    List<String> lines = new ArrayList<>();
    lines.add(
        "| change | training pairs | validation top-1 | validation balanced top-1 | validation"
            + " i→t R@10 | Tux Paint top-1 | Tux Paint balanced | Tux Paint i→t R@10 |"
            + " Fashion-MNIST top-1 | Fashion-MNIST most-predicted share | seconds |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
    int i = 0;
    CaptionFeatureCache captions = CaptionFeatureCache.create();
    for (Step step : steps()) {
      LitTuning.Result r =
          LitTuning.run(
              new LitTuning.Options(
                  data,
                  out.resolve("step-" + i++),
                  step.recipe(),
                  seed,
                  ConsoleProgressBar.to(System.err)),
              captions);
      lines.add(row(step.change(), r));
      System.out.println(lines.get(lines.size() - 1));
    }
    Files.createDirectories(out);
    AtomicFiles.writeString(out.resolve("ablation.md"), String.join("\n", lines) + "\n");
    System.out.println(String.join("\n", lines));
  }

  private static String row(String change, LitTuning.Result r) {
    EvaluationMetrics v = r.after().validation();
    EvaluationMetrics h = r.after().heldOut();
    ZeroShotSetMetrics val = v.zeroShot(LitTuning.VALIDATION);
    ZeroShotSetMetrics tux = h.zeroShot(LitTuning.TUX_PAINT);
    ZeroShotSetMetrics fashion = h.zeroShot(LitTuning.FASHION_MNIST);
    RetrievalMetrics valR = v.retrievalSet().orElseThrow().recall();
    RetrievalMetrics tuxR = h.retrievalSet().orElseThrow().recall();
    return String.format(
        "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f | %.0f |",
        change,
        r.trainingPairs(),
        val.accuracy().top1(),
        val.diagnostics().balancedTop1(),
        valR.imageToText().recallAt10(),
        tux.accuracy().top1(),
        tux.diagnostics().balancedTop1(),
        tuxR.imageToText().recallAt10(),
        fashion.accuracy().top1(),
        fashion.diagnostics().mostPredictedShare(),
        r.seconds());
  }
}
