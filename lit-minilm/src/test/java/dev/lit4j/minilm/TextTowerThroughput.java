package dev.lit4j.minilm;

import com.google.gson.Gson;
import dev.lit4j.pytorch.text.TextTokenizer;
import dev.lit4j.pytorch.text.TextTowerConfig;
import dev.lit4j.pytorch.text.TransformerTextTower;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A manual throughput probe (not a test, not a JMH benchmark): texts/s of {@code embedAll} for the
 * from-scratch default configuration and for MiniLM, at {@code maxLength} 16, batch 64, on the
 * parity sentences cycled to 1024 texts. Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl lit-minilm -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt -Dspotless.check.skip=true
 * java -Dai.djl.offline=true -cp lit-minilm/target/test-classes:lit-minilm/target/classes:\
 * lit-pytorch/target/classes:lit-core/target/classes:$(cat lit-minilm/target/cp.txt) \
 *     dev.lit4j.minilm.TextTowerThroughput
 * </pre>
 */
public final class TextTowerThroughput {
  private static final int TEXTS = 1024;
  private static final int BATCH = 64;
  private static final int ROUNDS = 3;

  private TextTowerThroughput() {}

  /** Prints texts/s for both towers. */
  public static void main(String[] args) throws IOException {
    List<String> texts = texts();
    try (TransformerTextTower scratch =
        TransformerTextTower.create(
            TextTowerConfig.builder(AllMiniLmL6V2.VOCAB_SIZE, 576).build(),
            TextTokenizer.load(AllMiniLmL6V2.openTokenizerJson(), 16))) {
      report("from-scratch default (L4 W256 H4 F1024, 16 tokens)", scratch, texts);
    }
    try (TransformerTextTower minilm = AllMiniLmL6V2.loadTower(576)) {
      report("all-MiniLM-L6-v2 (L6 W384 H12 F1536, 16 tokens)", minilm, texts);
    }
  }

  private static void report(String name, TransformerTextTower tower, List<String> texts) {
    tower.embedAll(texts.subList(0, 2 * BATCH), BATCH); // warm-up
    double best = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long t0 = System.nanoTime();
      tower.embedAll(texts, BATCH);
      double seconds = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, texts.size() / seconds);
    }
    System.out.printf(
        "%s: %.0f texts/s (best of %d rounds, batch %d)%n", name, best, ROUNDS, BATCH);
  }

  private static List<String> texts() throws IOException {
    String[] sentences;
    try (InputStream in =
            Objects.requireNonNull(
                TextTowerThroughput.class.getResourceAsStream("parity-sentences.json"));
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      sentences = new Gson().fromJson(r, String[].class);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < TEXTS; i++) {
      out.add(sentences[i % sentences.length]);
    }
    return out;
  }
}
