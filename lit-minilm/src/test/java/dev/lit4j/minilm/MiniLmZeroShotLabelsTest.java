package dev.lit4j.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lit4j.model.LitModel;
import dev.lit4j.model.ScoreCalibration;
import dev.lit4j.testing.ColourImageTower;
import dev.lit4j.zeroshot.ZeroShotClassifier;
import java.io.IOException;
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
  void build_withGreekAndCyrillicLabels_isAccepted() {
    // These alphabets are in the vocabulary letter by letter, so the labels stay distinct.
    List<String> labels = List.of("cat", "кошка", "собака", "γάτα", "σκύλος");

    ZeroShotClassifier classifier = ZeroShotClassifier.of(model, labels);

    assertEquals(5, classifier.classEmbeddings().size());
  }
}
