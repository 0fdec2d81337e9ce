package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Runs the quick start as a user would (its {@code main}) and reads what it prints. The image is
 * the README's, copied under the same relative path, so the snippet runs unchanged.
 */
class QuickStartTest {

  @Test
  void quickStart_classifiesTheSampleDog_offline_withOnlyLitDefaultModel() throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(console);
    }
    String printed = captured.toString(StandardCharsets.UTF_8).trim();
    console.println("quick start printed: " + printed);

    String[] labelAndScore = printed.split(" ");
    assertEquals(2, labelAndScore.length, "expected '<label> <score>', got: " + printed);
    assertEquals("dog", labelAndScore[0], "best label of openclipart-dog.png; printed: " + printed);
    double score = Double.parseDouble(labelAndScore[1]);
    assertTrue(score > 0.25 && score <= 1, "a probability above chance (0.25), got " + score);
  }
}
