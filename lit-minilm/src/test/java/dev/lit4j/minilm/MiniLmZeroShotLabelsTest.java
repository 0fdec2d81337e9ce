package dev.lit4j.minilm;

import static dev.lit4j.testing.NumericAssertions.FLOAT32_RTOL;
import static dev.lit4j.testing.NumericAssertions.assertAllClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.model.TextTower;
import dev.lit4j.progress.Progress;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.zeroshot.PromptTemplates;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zero-shot classifiers over MiniLM's real tokenizer and encoder: labels its uncased English
 * WordPiece vocabulary cannot spell become {@code [UNK]}, embed identically and are refused.
 */
class MiniLmZeroShotLabelsTest {
  private static final int DIM = 64;

  /**
   * libtorch computes a prompt in a padded batch of 64 and alone with different kernel blocking;
   * components of unit vectors then differ by float32 rounding, a few 1e-7.
   */
  private static final double BATCHING_ATOL = 1e-6;

  private static LitModel model;

  @BeforeAll
  static void loadModel() throws IOException {
    model =
        LitModel.of(
            ColourImageTower.seeded(DIM, 1),
            AllMiniLmL6V2.loadTower(DIM),
            ScoreCalibration.SOFTMAX_DEFAULT);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void build_withEmojiAndCjkLabelsMiniLmCannotSpell_throwsNamingThemAll() {
    List<String> labels = List.of("cat", "🐱", "dog", "🐶", "猫", "狗");
    ZeroShotClassifier.Builder builder = ZeroShotClassifier.builder(model, labels);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    String msg = e.getMessage();
    assertTrue(
        msg.contains("labels 1 '🐱', 3 '🐶', 4 '猫' and 5 '狗' have the same class embedding"), msg);
    assertTrue(msg.contains("[UNK]"), msg);
    assertTrue(msg.contains("Spell such labels out in words"), msg);
  }

  @Test
  void build_withLongLabelsThatDifferOnlyAfterTheSixteenthToken_throwsNamingTruncation() {
    // In every default template the 12 common words reach the 16-token cut ([CLS] and [SEP]
    // included) before the last word, so both labels give the same tokens.
    String common = "golden retriever puppy sitting on a soft red sofa next to the";
    List<String> labels = List.of(common + " window", common + " fireplace", "cat");
    ZeroShotClassifier.Builder builder = ZeroShotClassifier.builder(model, labels);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    String msg = e.getMessage();
    assertTrue(msg.contains("labels 0 '" + common + " window' and 1 '" + common), msg);
    assertTrue(msg.contains("16 tokens by default"), msg);
    assertTrue(msg.contains("shorten long labels"), msg);
  }

  @Test
  void build_batchingPromptsOfManyLabels_matchesEmbeddingEachLabelAlone_andReportsProgress() {
    List<String> labels = new ArrayList<>();
    String[] words = {"cat", "golden retriever", "pink cake", "red kangaroo", "fire truck"};
    for (int i = 0; i < 20; i++) {
      labels.add(words[i % words.length] + " " + (i / words.length));
    }
    List<Long> done = new ArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void onUpdate(Progress progress) {
            done.add(progress.done());
          }

          @Override
          public void onFinish(Progress progress) {
            done.add(-progress.done());
          }
        };

    // 140 prompts in one embedAll call: the tower's batches of 64 mix labels and pad them to
    // the longest prompt in the batch.
    ZeroShotClassifier c = ZeroShotClassifier.builder(model, labels).progress(listener).build();

    assertEquals(List.of(140L, -140L), done);
    TextTower tower = model.textTower();
    for (int k = 0; k < labels.size(); k++) {
      FloatMatrix prompts = tower.embedAll(PromptTemplates.SIMPLE_7.apply(labels.get(k))).matrix();
      float[] mean = new float[DIM];
      for (int p = 0; p < prompts.rows(); p++) {
        for (int j = 0; j < DIM; j++) {
          mean[j] += prompts.get(p, j);
        }
      }
      float[] expected = Embedding.of(mean).toArray();
      assertAllClose(expected, c.classEmbeddings().get(k).toArray(), FLOAT32_RTOL, BATCHING_ATOL);
    }
  }

  @Test
  void build_withGreekAndCyrillicLabels_isAccepted() {
    // These alphabets are in the vocabulary letter by letter, so the labels stay distinct.
    List<String> labels = List.of("cat", "кошка", "собака", "γάτα", "σκύλος");

    ZeroShotClassifier classifier = ZeroShotClassifier.of(model, labels);

    assertEquals(5, classifier.classEmbeddings().size());
  }
}
