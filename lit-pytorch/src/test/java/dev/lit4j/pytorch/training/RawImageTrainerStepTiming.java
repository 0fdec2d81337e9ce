package dev.lit4j.pytorch.training;

import dev.lit4j.pytorch.EngineThreads;
import dev.lit4j.pytorch.image.TrainableMobileNetV2;
import dev.lit4j.pytorch.image.TrainableMobileNetV2.Init;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.TrainerConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Measures whole {@link RawImageTrainer} steps, not a test (run by hand): preprocessing in-memory
 * images, the image tower, the text tower, loss, backward, clipping and AdamW. One warm-up run of
 * one step, then a run of {@code steps} steps on the same towers, timed as a whole.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp &lt;test classpath&gt; dev.lit4j.pytorch.training.RawImageTrainerStepTiming [batch] [px] [steps] [UNLOCKED|LOCKED] [minilm|tiny]
 * </pre>
 *
 * Defaults: batch 32, 112 px, 3 steps, UNLOCKED PRETRAINED MobileNetV2, a randomly initialised text
 * tower of all-MiniLM-L6-v2's shape (6 layers, width 384, 12 heads, feed-forward 1536, projected to
 * 576), captions of 6 to 8 tokens.
 */
final class RawImageTrainerStepTiming {
  private RawImageTrainerStepTiming() {}

  public static void main(String[] args) throws IOException {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 112;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ImageTraining training =
        args.length > 3 ? ImageTraining.valueOf(args[3]) : ImageTraining.UNLOCKED;
    boolean minilm = args.length <= 4 || args[4].equals("minilm");
    Random r = new Random(42);
    List<BufferedImage> images = new ArrayList<>();
    List<List<String>> captions = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(new Color(r.nextInt(1 << 24)));
      g.fillRect(0, 0, size, size);
      g.setColor(new Color(r.nextInt(1 << 24)));
      g.fillOval(r.nextInt(size / 2), r.nextInt(size / 2), size / 2, size / 3);
      g.dispose();
      images.add(img);
      String word = TrainerFixtures.CLASSES.get(i % TrainerFixtures.CLASSES.size());
      captions.add(List.of("a photo of a " + word + " number " + i));
    }
    ImageCaptionPairs data = ImageCaptionPairs.ofImages(images, captions);
    Path dir = Files.createTempDirectory("raw-image-timing");
    TextTowerConfig.Builder text =
        minilm
            ? TextTowerConfig.builder(30522, 576).layers(6).width(384).heads(12).ffnWidth(1536)
            : TextTowerConfig.builder(30522, 576).layers(1).width(32).heads(4).ffnWidth(64);
    TextTowerConfig config = text.seed(1).build();
    try (InputStream in =
            Objects.requireNonNull(
                RawImageTrainerStepTiming.class.getResourceAsStream(
                    "/all-minilm-l6-v2-tokenizer.json"));
        TrainableMobileNetV2 image = TrainableMobileNetV2.builder(Init.PRETRAINED).build();
        TransformerTextTower textTower =
            TransformerTextTower.create(config, TextTokenizer.load(in, config.maxLength()))) {
      for (int run : new int[] {1, steps}) {
        TrainerConfig c =
            TrainerConfig.builder(dir).batchSize(batch).steps(run).warmupSteps(0).seed(1).build();
        long t0 = System.nanoTime();
        RawImageTrainingResult result;
        try (RawImageTrainer trainer = RawImageTrainer.of(image, textTower, c, training, size)) {
          result = trainer.train(data);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "%s, %s text tower, batch %d at %d px, libtorch threads %s: %d step(s) in %.2f s ="
                + " %.2f s/step (%.1f images/s), losses %s%n",
            training,
            minilm ? "MiniLM-shaped" : "tiny",
            batch,
            size,
            EngineThreads.current(),
            run,
            seconds,
            seconds / run,
            batch * run / seconds,
            result.losses());
      }
    }
  }
}
