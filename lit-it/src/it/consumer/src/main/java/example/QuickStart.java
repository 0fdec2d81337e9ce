package example;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The README's quick start ("Zero-shot classification with the default model"), verbatim. */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws IOException {
    try (ZeroShotClassifier classifier = ZeroShotClassifier.of(List.of("dog", "cat", "house", "car"))) {
      ClassScores scores = classifier.classify(ImageFiles.read(Path.of("lit-examples/samples/openclipart-dog.png")));
      System.out.println(scores.best().label() + " " + scores.best().score());
    }
  }
}
