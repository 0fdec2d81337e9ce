package dev.lit4j.examples;

import dev.lit4j.examples.data.ShippedData;
import dev.lit4j.loss.LossKind;
import dev.lit4j.minilm.AllMiniLmL6V2;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.pytorch.training.PyTorchContrastiveTrainer;
import dev.lit4j.training.EvaluationData;
import dev.lit4j.training.EvaluationMetrics;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.TrainerConfig;
import dev.lit4j.training.TrainingLength;
import dev.lit4j.training.TrainingResult;
import dev.lit4j.training.ZeroShotSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * End-to-end LiT-tuning on the data that ships with lit4j: the locked MobileNetV2 image tower's
 * pre-computed embeddings of ~4,000 Open Clip Art drawings and their titles train a text tower
 * initialised from all-MiniLM-L6-v2 (the paper's "LU" setting: locked image tower, unlocked
 * pre-trained text tower); zero-shot accuracy on the 15 Tux Paint stamp categories and caption
 * retrieval on the stamps — images and captions training never saw — are measured before and after.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java} (after {@code mvn
 * -B -q install -DskipTests}). Arguments: {@code [epochs] [batchSize] [outputDirectory]}.
 */
public final class LitTuning {

  /**
   * What to run.
   *
   * @param data the shipped data set
   * @param outputDirectory where the model, checkpoints, metrics log and plot go
   * @param loss the contrastive loss
   * @param length how long to train (epochs or steps)
   * @param batchSize pairs per step
   * @param learningRate peak learning rate
   * @param seed seeds data order and initialisation
   * @param progress where progress goes
   */
  public record Options(
      ShippedData data,
      Path outputDirectory,
      LossKind loss,
      TrainingLength length,
      int batchSize,
      double learningRate,
      long seed,
      ProgressListener progress) {
    /** Validates the non-numeric fields; the trainer's configuration validates the numbers. */
    public Options {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(outputDirectory, "outputDirectory");
      Objects.requireNonNull(loss, "loss");
      Objects.requireNonNull(length, "length");
      Objects.requireNonNull(progress, "progress");
    }
  }

  /**
   * What came out.
   *
   * @param before held-out metrics of the untrained text tower (step 0)
   * @param after held-out metrics of the trained model, loaded back from its directory
   * @param training the trainer's result (steps, final loss, calibration, model directory)
   * @param trainingPairs the number of training pairs after removing near-duplicates
   * @param metrics the JSONL metrics log
   * @param plot the PNG of the training curves
   * @param majorityClassShare the share of held-out images in the most frequent category, the top-1
   *     accuracy of always answering that category
   */
  public record Result(
      EvaluationMetrics before,
      EvaluationMetrics after,
      TrainingResult training,
      int trainingPairs,
      Path metrics,
      Path plot,
      double majorityClassShare) {}

  private LitTuning() {}

  /**
   * Trains and evaluates.
   *
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static Result run(Options options) throws IOException {
    try (MobileNetV2Tower imageTower = MobileNetV2Tower.load();
        TransformerTextTower textTower = AllMiniLmL6V2.loadTower(imageTower.dimension())) {
      PairedEmbeddings train = options.data().trainingPairs(imageTower.identity());
      ZeroShotSet zeroShot = options.data().zeroShotSet(imageTower.identity());
      PairedEmbeddings retrieval = options.data().retrievalPairs(imageTower.identity());
      EvaluationData heldOut = EvaluationData.of(zeroShot, retrieval);

      int steps = options.length().totalSteps(Math.max(1, train.size() / options.batchSize()));
      TrainerConfig config =
          TrainerConfig.builder(options.outputDirectory())
              // Short runs: 10 % warmup rather than big_vision's floor of 100 steps, which would
              // leave no room for the cosine decay.
              .warmupSteps(Math.max(1, steps / 10))
              // Five evaluations over the run, so the plot shows held-out accuracy moving.
              .evalEvery(Math.max(1, steps / 5))
              .loss(options.loss())
              .length(options.length())
              .batchSize(options.batchSize())
              .learningRate(options.learningRate())
              .seed(options.seed())
              .build();
      // A view over the untrained towers; not closed here, since closing a LitModel closes its
      // towers, which the try-with-resources above owns.
      EvaluationMetrics before =
          heldOut.evaluate(
              LitModel.of(imageTower, textTower, initialCalibration(config)), /* step= */ 0);

      PyTorchContrastiveTrainer.Builder builder =
          PyTorchContrastiveTrainer.builder(textTower, imageTower, config)
              .evaluation(heldOut)
              .progress(options.progress());
      if (ComputeDevice.gpus().size() > 1) {
        // Data-parallel over every GPU, one loss over the whole batch (full-batch negatives).
        builder.devices(ComputeDevice.gpus());
      }
      TrainingResult result;
      try (PyTorchContrastiveTrainer trainer = builder.build()) {
        result = trainer.train(train);
      }
      // Evaluate what a user gets: the saved model directory, loaded back.
      EvaluationMetrics after;
      try (LitModel trained = LitModel.load(result.modelDirectory())) {
        after = heldOut.evaluate(trained, result.steps());
      }
      return new Result(
          before,
          after,
          result,
          train.size(),
          config.metricsFile(),
          config.plotFile(),
          majorityShare(zeroShot));
    }
  }

  private static double majorityShare(ZeroShotSet set) {
    int[] counts = new int[set.classNames().size()];
    for (int c : set.trueClasses()) {
      counts[c]++;
    }
    return (double) Arrays.stream(counts).max().orElse(0) / set.trueClasses().length;
  }

  private static ScoreCalibration initialCalibration(TrainerConfig config) {
    return new ScoreCalibration(config.loss(), config.initialTemperature(), config.initialBias());
  }

  /**
   * Runs with defaults and prints a summary.
   *
   * @param args optional {@code [epochs] [batchSize] [outputDirectory]}
   * @throws IOException if the data cannot be read or the outputs cannot be written
   */
  public static void main(String[] args) throws IOException {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    Path out = Path.of(args.length > 2 ? args[2] : "target/lit-tuning");
    PrintStream console = System.out;
    Result r =
        run(
            new Options(
                ShippedData.locate(),
                out,
                LossKind.SOFTMAX,
                TrainingLength.epochs(epochs),
                batchSize,
                1e-4,
                42,
                ConsoleProgressBar.to(System.err)));
    console.printf(
        "LiT-tuned on %d Open Clip Art pairs in %d steps%n",
        r.trainingPairs(), r.training().steps());
    int images = r.after().zeroShot().orElseThrow().count();
    double classes = 15;
    console.printf(
        "held-out Tux Paint stamps (%d images, 15 categories; the most frequent holds %.3f):%n",
        images, r.majorityClassShare());
    console.println("                     before    after   chance");
    print(console, "zero-shot top-1", r, m -> m.zeroShot().get().top1(), 1 / classes);
    print(console, "zero-shot top-5", r, m -> m.zeroShot().get().top5(), 5 / classes);
    print(
        console,
        "image->text R@5",
        r,
        m -> m.retrieval().get().imageToText().recallAt5(),
        5.0 / images);
    print(
        console,
        "image->text R@10",
        r,
        m -> m.retrieval().get().imageToText().recallAt10(),
        10.0 / images);
    print(
        console,
        "text->image R@5",
        r,
        m -> m.retrieval().get().textToImage().recallAt5(),
        5.0 / images);
    print(
        console,
        "text->image R@10",
        r,
        m -> m.retrieval().get().textToImage().recallAt10(),
        10.0 / images);
    console.println("model:   " + r.training().modelDirectory());
    console.println("curves:  " + r.plot());
  }

  private static void print(
      PrintStream out,
      String name,
      Result r,
      ToDoubleFunction<EvaluationMetrics> metric,
      double chance) {
    out.printf(
        "  %-16s %8.3f %8.3f %8.3f%n",
        name, metric.applyAsDouble(r.before()), metric.applyAsDouble(r.after()), chance);
  }
}
