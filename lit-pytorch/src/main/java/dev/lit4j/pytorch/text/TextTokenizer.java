package dev.lit4j.pytorch.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A HuggingFace {@code tokenizer.json} tokenizer (DJL's {@link HuggingFaceTokenizer}) that
 * truncates every text to {@code maxLength} tokens (special tokens included) and pads each batch to
 * its longest sequence, whatever padding and truncation the JSON file itself prescribes (the
 * all-MiniLM-L6-v2 file pads everything to 128).
 *
 * <p>{@link #tokenize} is thread-safe; {@link #close()} must not race with it. Closing is
 * idempotent; use after close throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TextTokenizer tok = TextTokenizer.load(Path.of("tokenizer.json"), 16);
 *     NDManager m = NDManager.newBaseManager()) {
 *   TokenBatch batch = tok.tokenize(List.of("a red kangaroo"), m);
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final byte[] json;
  private final int maxLength;
  private final int vocabularySize;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TextTokenizer(HuggingFaceTokenizer tokenizer, byte[] json, int maxLength, int vocab) {
    this.tokenizer = tokenizer;
    this.json = json;
    this.maxLength = maxLength;
    this.vocabularySize = vocab;
  }

  /**
   * Loads a tokenizer from a {@code tokenizer.json} file.
   *
   * @param maxLength tokens per text after truncation, special tokens included; at least 2
   * @param tokenizerJson a HuggingFace {@code tokenizer.json}
   * @return the tokenizer; the caller closes it
   * @throws IllegalArgumentException if {@code maxLength < 2} or the file is not a tokenizer.json
   * @throws IOException if the file cannot be read
   */
  public static TextTokenizer load(Path tokenizerJson, int maxLength) throws IOException {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return fromBytes(Files.readAllBytes(tokenizerJson), maxLength, tokenizerJson.toString());
  }

  /**
   * Loads a tokenizer from a stream holding a {@code tokenizer.json}; the stream is read to its end
   * but not closed.
   *
   * @param maxLength tokens per text after truncation, special tokens included; at least 2
   * @param tokenizerJson a HuggingFace {@code tokenizer.json}
   * @return the tokenizer; the caller closes it
   * @throws IllegalArgumentException if {@code maxLength < 2} or the stream is not a tokenizer.json
   * @throws IOException if the stream cannot be read
   */
  public static TextTokenizer load(InputStream tokenizerJson, int maxLength) throws IOException {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return fromBytes(tokenizerJson.readAllBytes(), maxLength, "stream");
  }

  private static TextTokenizer fromBytes(byte[] json, int maxLength, String source)
      throws IOException {
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "maxLength must be at least 2 to hold [CLS] and [SEP], got " + maxLength);
    }
    int vocab = vocabularySize(json, source);
    // Override the file's own padding/truncation: truncate to maxLength here, pad per batch below.
    Map<String, String> options =
        Map.of(
            "padding",
            "false",
            "truncation",
            "true",
            "maxLength",
            Integer.toString(maxLength),
            "modelMaxLength",
            Integer.toString(maxLength));
    HuggingFaceTokenizer tok;
    try {
      tok = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer.json from " + source + ": " + e.getMessage(), e);
    }
    return new TextTokenizer(tok, json, maxLength, vocab);
  }

  /** One past the largest token id in the model vocabulary and the added tokens. */
  private static int vocabularySize(byte[] json, String source) {
    // Streamed rather than parsed into a tree: the vocabulary is most of a 700 kB file, and this
    // runs on every model load.
    try (JsonReader reader =
        new JsonReader(
            new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8))) {
      long max = -1;
      boolean hasModel = false;
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (name.equals("model") && reader.peek() == JsonToken.BEGIN_OBJECT) {
          hasModel = true;
          max = Math.max(max, largestModelId(reader));
        } else if (name.equals("added_tokens") && reader.peek() == JsonToken.BEGIN_ARRAY) {
          reader.beginArray();
          while (reader.hasNext()) {
            max = Math.max(max, addedTokenId(reader));
          }
          reader.endArray();
        } else {
          reader.skipValue();
        }
      }
      reader.endObject();
      if (!hasModel) {
        throw new IllegalStateException("it has no \"model\" object");
      }
      if (max < 0) {
        throw new IllegalArgumentException(
            "tokenizer.json from " + source + " has an empty vocabulary");
      }
      return Math.toIntExact(max + 1);
    } catch (IOException | IllegalStateException | NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "not a HuggingFace tokenizer.json (" + source + "): " + e.getMessage(), e);
    }
  }

  /**
   * Reads a {@code "model"} object and returns its largest vocabulary id: the largest value of a
   * WordPiece/BPE {@code vocab} object, or the last position of a Unigram {@code vocab} list.
   */
  private static long largestModelId(JsonReader reader) throws IOException {
    long max = -1;
    reader.beginObject();
    while (reader.hasNext()) {
      if (!reader.nextName().equals("vocab")) {
        reader.skipValue();
      } else if (reader.peek() == JsonToken.BEGIN_OBJECT) {
        reader.beginObject();
        while (reader.hasNext()) {
          reader.nextName();
          max = Math.max(max, reader.nextLong());
        }
        reader.endObject();
      } else if (reader.peek() == JsonToken.BEGIN_ARRAY) {
        long count = 0;
        reader.beginArray();
        while (reader.hasNext()) {
          reader.skipValue();
          count++;
        }
        reader.endArray();
        max = count - 1; // Unigram: ids are list positions
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    return max;
  }

  /** Reads one object of {@code "added_tokens"} and returns its {@code "id"}. */
  private static long addedTokenId(JsonReader reader) throws IOException {
    long id = -1;
    boolean found = false;
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("id")) {
        id = reader.nextLong();
        found = true;
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    if (!found) {
      throw new IllegalStateException("an entry of added_tokens has no id");
    }
    return id;
  }

  /** {@return the maximum tokens per text, special tokens included} */
  public int maxLength() {
    return maxLength;
  }

  /** {@return one past the largest token id this tokenizer can emit} */
  public int vocabularySize() {
    return vocabularySize;
  }

  /**
   * Tokenizes {@code texts}, truncating each to {@link #maxLength()} tokens and right-padding the
   * batch to its longest sequence. Empty and whitespace-only texts become {@code [CLS] [SEP]}.
   *
   * @param manager owns the returned arrays
   * @param texts one or more texts
   * @return token ids and attention mask, {@code [texts.size(), T]}
   * @throws IllegalArgumentException if {@code texts} is empty or holds {@code null} (the index is
   *     named)
   * @throws IllegalStateException if the tokenizer is closed
   */
  public TokenBatch tokenize(List<String> texts, NDManager manager) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(manager, "manager");
    checkTexts(texts);
    checkOpen();
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int longest = 0;
    for (Encoding e : encodings) {
      longest = Math.max(longest, e.getIds().length);
    }
    int b = encodings.length;
    long[] ids = new long[b * longest];
    long[] mask = new long[b * longest];
    for (int i = 0; i < b; i++) {
      long[] row = encodings[i].getIds();
      long[] rowMask = encodings[i].getAttentionMask();
      System.arraycopy(row, 0, ids, i * longest, row.length);
      System.arraycopy(rowMask, 0, mask, i * longest, rowMask.length);
    }
    Shape shape = new Shape(b, longest);
    NDArray idArray = manager.create(ids, shape);
    NDArray maskArray = manager.create(mask, shape);
    return new TokenBatch(idArray, maskArray);
  }

  /**
   * Checks a list of texts for {@link #tokenize}: non-empty and free of {@code null}.
   *
   * @throws IllegalArgumentException naming the first {@code null} index
   */
  static void checkTexts(List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("texts is empty; pass at least one text");
    }
    int i = 0;
    for (String t : texts) {
      if (t == null) {
        throw new IllegalArgumentException("texts[" + i + "] is null; pass \"\" for an empty text");
      }
      i++;
    }
  }

  /** The raw tokenizer.json bytes, written next to a saved tower. */
  byte[] json() {
    return json.clone();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("TextTokenizer is closed");
    }
  }

  /** Frees the native tokenizer; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tokenizer.close();
    }
  }
}
