package dev.lit4j.pytorch.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {
  // all-MiniLM-L6-v2 / BERT uncased special ids.
  private static final long PAD = 0;
  private static final long UNK = 100;
  private static final long CLS = 101;
  private static final long SEP = 102;

  private static long[] row(TokenBatch b, int i) {
    long[] all = b.tokenIds().toLongArray();
    return Arrays.copyOfRange(all, i * b.length(), (i + 1) * b.length());
  }

  private static long[] maskRow(TokenBatch b, int i) {
    long[] all = b.attentionMask().toLongArray();
    return Arrays.copyOfRange(all, i * b.length(), (i + 1) * b.length());
  }

  @Test
  void batch_isPaddedToItsLongestText_notToTheFilesFixed128() {
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch b = tok.tokenize(List.of("a red kangaroo", "cat"), m);
      assertEquals(2, b.size());
      long[] first = row(b, 0);
      assertEquals(5, b.length(), "[CLS] a red kangaroo [SEP]: " + Arrays.toString(first));
      assertEquals(CLS, first[0]);
      assertEquals(SEP, first[4]);
      assertArrayEquals(new long[] {CLS, row(b, 1)[1], SEP, PAD, PAD}, row(b, 1));
      assertArrayEquals(new long[] {1, 1, 1, 0, 0}, maskRow(b, 1));
      assertArrayEquals(new long[] {1, 1, 1, 1, 1}, maskRow(b, 0));
    }
  }

  @Test
  void longText_isTruncatedToMaxLength_endingWithSep() {
    String tenThousand = "word ".repeat(2000);
    assertEquals(10_000, tenThousand.length());
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch b = tok.tokenize(List.of(tenThousand), m);
      assertEquals(16, b.length());
      long[] ids = row(b, 0);
      assertEquals(CLS, ids[0]);
      assertEquals(SEP, ids[15]);
      assertEquals(ids[1], ids[14], "the same word repeated");
    }
  }

  @Test
  void emptyAndWhitespaceOnly_becomeClsSep() {
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      TokenBatch b = tok.tokenize(List.of("", " \t\n "), m);
      assertEquals(2, b.length());
      assertArrayEquals(new long[] {CLS, SEP}, row(b, 0));
      assertArrayEquals(new long[] {CLS, SEP}, row(b, 1));
    }
  }

  @Test
  void emojiAndCharactersOutsideTheBmp_becomeUnknownTokens() {
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      String emoji = "\uD83E\uDD98"; // U+1F998 KANGAROO, a surrogate pair
      TokenBatch b = tok.tokenize(List.of(emoji + " kangaroo"), m);
      long[] ids = row(b, 0);
      assertEquals(4, ids.length, Arrays.toString(ids));
      assertEquals(UNK, ids[1]);
    }
  }

  @Test
  void nullInList_namesTheIndex() {
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      List<String> texts = Arrays.asList("a", "b", null);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tok.tokenize(texts, m));
      assertTrue(e.getMessage().contains("texts[2] is null"), e.getMessage());
    }
  }

  @Test
  void emptyList_isRejected() {
    try (TextTokenizer tok = TestTowers.tokenizer(16);
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      List<String> none = List.of();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tok.tokenize(none, m));
      assertTrue(e.getMessage().contains("texts is empty"), e.getMessage());
    }
  }

  @Test
  void maxLengthBelowTwo_isRejected() {
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TextTokenizer.load(new ByteArrayInputStream(json), 1));
    assertTrue(e.getMessage().contains("got 1"), e.getMessage());
  }

  @Test
  void notATokenizerJson_isRejected() {
    byte[] json = "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TextTokenizer.load(new ByteArrayInputStream(json), 16));
    assertTrue(e.getMessage().contains("not a HuggingFace tokenizer.json"), e.getMessage());
  }

  @Test
  void vocabularySize_coversTheWholeVocabulary() {
    try (TextTokenizer tok = TestTowers.tokenizer(16)) {
      assertEquals(TestTowers.VOCAB, tok.vocabularySize());
    }
  }

  @Test
  void close_isIdempotent_andUseAfterCloseThrows() {
    TextTokenizer tok = TestTowers.tokenizer(16);
    tok.close();
    tok.close();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      List<String> texts = List.of("a");
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> tok.tokenize(texts, m));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }
}
