package dev.lit4j.examples;

import dev.lit4j.image.ImageFiles;
import dev.lit4j.zeroshot.ClassScore;
import dev.lit4j.zeroshot.ClassScores;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Zero-shot classification with the default model and nothing else: {@link
 * ZeroShotClassifier#of(List)} loads the model that {@code lit-default-model} bundles (no network,
 * no training) and classifies each image among any labels.
 *
 * <p>Run from the repository root: {@code mvn -B -q -pl lit-examples exec:java
 * -Dexec.mainClass=dev.lit4j.examples.ClassifyImages} (after {@code mvn -B -q install
 * -DskipTests}). Arguments: {@code [imageOrDirectory] [label,label,…]}; by default the sample
 * images in {@code lit-examples/samples} among dog, cat, house, car, sneaker, bag, dress and tree.
 */
public final class ClassifyImages {
  private ClassifyImages() {}

  /**
   * Classifies {@code images} among {@code labels} with the default model.
   *
   * @return each image's scores, best first, in the order of {@code images}
   * @throws IOException if an image or the default model cannot be read
   * @throws IllegalStateException if no default model is on the class path
   */
  public static Map<Path, ClassScores> run(List<Path> images, List<String> labels)
      throws IOException {
    Objects.requireNonNull(images, "images");
    Map<Path, ClassScores> out = new LinkedHashMap<>();
    try (ZeroShotClassifier classifier = ZeroShotClassifier.of(labels)) {
      for (Path image : images) {
        out.put(image, classifier.classify(ImageFiles.read(image)));
      }
    }
    return out;
  }

  /**
   * Classifies and prints the best two labels of each image.
   *
   * @param args optional {@code [imageOrDirectory] [comma-separated labels]}
   * @throws IOException if an image or the default model cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path where = args.length > 0 ? Path.of(args[0]) : samples();
    List<String> labels = args.length > 1 ? List.of(args[1].split(",")) : LitTuning.SAMPLE_LABELS;
    PrintStream console = System.out;
    for (Map.Entry<Path, ClassScores> e : run(images(where), labels).entrySet()) {
      StringBuilder line = new StringBuilder(String.format("%-28s", e.getKey().getFileName()));
      for (ClassScore c : e.getValue().top(2)) {
        line.append(String.format("  %-8s %.2f", c.label(), c.score()));
      }
      console.println(line);
    }
  }

  private static Path samples() throws IOException {
    Path dir = Path.of("lit-examples", "samples");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("samples");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "no sample images in lit-examples/samples or samples; run from the repository root or"
              + " pass an image or directory");
    }
    return dir;
  }

  private static List<Path> images(Path where) throws IOException {
    if (!Files.isDirectory(where)) {
      return List.of(where);
    }
    try (Stream<Path> files = Files.list(where)) {
      List<Path> out = new ArrayList<>();
      files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(out::add);
      return out;
    }
  }
}
