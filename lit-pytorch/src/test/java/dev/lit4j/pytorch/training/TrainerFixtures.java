package dev.lit4j.pytorch.training;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.pytorch.ComputeDevice;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import dev.lit4j.training.PairedEmbeddings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Fixtures: a real tokenizer, a tiny real transformer text tower, and synthetic but structured data
 * — image embeddings are noisy copies of one prototype per class, captions name the class.
 */
final class TrainerFixtures {
  /** all-MiniLM-L6-v2's WordPiece tokenizer.json, from the LangChain4j test dependency. */
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  private static final int VOCAB = 30522;

  /** Class words, each a single WordPiece token of the MiniLM vocabulary. */
  static final List<String> CLASSES =
      List.of("cat", "dog", "car", "tree", "house", "bird", "boat", "apple");

  private static final List<String> CAPTION_TEMPLATES =
      List.of("a photo of a %s", "a %s", "a picture of the %s", "my %s");

  private TrainerFixtures() {}

  /** One layer of width 32: a real transformer that trains in milliseconds per step. */
  static TransformerTextTower tinyTower(int dimension, long seed) {
    TextTowerConfig c = tinyConfig(dimension, seed);
    return TransformerTextTower.create(c, tokenizer(c.maxLength()));
  }

  /** {@link #tinyTower(int, long)} with its parameters on {@code device}: the same weights. */
  static TransformerTextTower tinyTower(int dimension, long seed, ComputeDevice device) {
    TextTowerConfig c = tinyConfig(dimension, seed);
    return TransformerTextTower.create(c, tokenizer(c.maxLength()), device);
  }

  private static TextTowerConfig tinyConfig(int dimension, long seed) {
    return TextTowerConfig.builder(VOCAB, dimension)
        .layers(1)
        .width(32)
        .heads(4)
        .ffnWidth(64)
        .seed(seed)
        .build();
  }

  private static TextTokenizer tokenizer(int maxLength) {
    try (InputStream in =
        Objects.requireNonNull(
            TrainerFixtures.class.getResourceAsStream(TOKENIZER_RESOURCE), TOKENIZER_RESOURCE)) {
      return TextTokenizer.load(in, maxLength);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Class prototypes: {@code classes} seeded Gaussian directions of dimension {@code d}. */
  static float[][] prototypes(int classes, int d, long seed) {
    Random r = new Random(seed);
    float[][] p = new float[classes][d];
    for (float[] row : p) {
      for (int j = 0; j < d; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    return p;
  }

  /**
   * Image {@code i} of class {@code classOf[i]}: its prototype plus Gaussian noise of {@code
   * sigma}.
   */
  static EmbeddingMatrix images(float[][] prototypes, int[] classOf, double sigma, long seed) {
    Random r = new Random(seed);
    int d = prototypes[0].length;
    float[] v = new float[classOf.length * d];
    for (int i = 0; i < classOf.length; i++) {
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (float) (prototypes[classOf[i]][j] + sigma * r.nextGaussian());
      }
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(classOf.length, d, v));
  }

  static int[] classes(int n, int k, long seed) {
    Random r = new Random(seed);
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i < k ? i : r.nextInt(k);
    }
    return c;
  }

  /** Training pairs: {@code n} images of the first {@code k} classes, captions naming the class. */
  static PairedEmbeddings pairs(float[][] prototypes, int n, double sigma, long seed) {
    int k = prototypes.length;
    int[] classOf = classes(n, k, seed);
    List<List<String>> captions = new ArrayList<>();
    for (int c : classOf) {
      List<String> mine = new ArrayList<>();
      for (String t : CAPTION_TEMPLATES) {
        mine.add(String.format(t, CLASSES.get(c)));
      }
      captions.add(mine);
    }
    return new PairedEmbeddings(images(prototypes, classOf, sigma, seed + 1), captions);
  }

  /** A held-out labelled set drawn from the same prototypes with fresh noise. */
  static ZeroShotSet heldOut(float[][] prototypes, int n, double sigma, long seed) {
    int k = prototypes.length;
    int[] classOf = classes(n, k, seed);
    return new ZeroShotSet(
        images(prototypes, classOf, sigma, seed + 1), CLASSES.subList(0, k), classOf);
  }
}
