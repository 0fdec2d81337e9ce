package dev.lit4j.bench.streaming;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.Embedding;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStoreWriter;
import dev.lit4j.store.StoreDtype;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic LiT data set on disk: a float16 {@link dev.lit4j.store.EmbeddingStore} of {@code N}
 * random unit vectors ({@code store/}) and a captions file ({@code captions.jsonl}) with one or two
 * short English captions per image (colour, object and a three-digit number: the same length
 * distribution whatever the number of rows), both a pure function of the row number and the seed.
 * Every fourth image has two captions (a {@code "captions"} array), the others one ({@code
 * "caption"}).
 *
 * <p>The store is written with {@link EmbeddingStoreWriter} (the crash-safe path) and the captions
 * atomically; a directory whose store and captions are both complete is reused as is, so the ~23 GB
 * of a 20-million-row store are written once. Not thread-safe.
 */
final class SyntheticPairs {
  static final String STORE = "store";
  static final String CAPTIONS = "captions.jsonl";

  private static final List<String> COLOURS =
      List.of("red", "green", "blue", "yellow", "black", "white", "orange", "purple");
  private static final List<String> THINGS =
      List.of("cat", "dog", "car", "house", "tree", "boat", "bird", "chair", "flower", "train");
  private static final Gson GSON = new Gson();

  private SyntheticPairs() {}

  /**
   * Writes the store and captions of {@code rows} images into {@code dir} unless both are already
   * there.
   *
   * @return the seconds spent writing, 0 if the data set was already complete
   */
  static double generateIfAbsent(Path dir, int rows, TowerIdentity tower, int dimension, long seed)
      throws IOException {
    Path store = dir.resolve(STORE);
    Path captions = dir.resolve(CAPTIONS);
    if (Files.isRegularFile(captions) && complete(store)) {
      return 0;
    }
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    if (!complete(store)) {
      deleteTree(store);
      writeStore(store, rows, tower, dimension, seed);
    }
    if (!Files.isRegularFile(captions)) {
      AtomicFiles.write(captions, out -> writeCaptions(out, rows, seed));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  static String id(int row) {
    return String.format("img-%09d", row);
  }

  private static boolean complete(Path store) throws IOException {
    Path metadata = store.resolve("store.json");
    return Files.isRegularFile(metadata)
        && Files.readString(metadata).replace(" ", "").contains("\"completed\":true");
  }

  private static void writeStore(Path store, int rows, TowerIdentity tower, int d, long seed)
      throws IOException {
    try (EmbeddingStoreWriter writer =
        EmbeddingStoreWriter.create(
            store, tower, d, "synthetic-" + rows + "-" + seed, StoreDtype.FLOAT16)) {
      float[] v = new float[d];
      for (int row = 0; row < rows; row++) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + row);
        for (int i = 0; i < d; i++) {
          v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        writer.add(id(row), "synthetic:" + row, Embedding.of(v));
      }
      writer.finish();
    }
  }

  private static void writeCaptions(java.io.OutputStream out, int rows, long seed)
      throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 20);
    for (int row = 0; row < rows; row++) {
      SplittableRandom rng = new SplittableRandom(~seed * 0x9E3779B97F4A7C15L + row);
      JsonObject o = new JsonObject();
      o.addProperty("id", id(row));
      if (row % 4 == 0) {
        JsonArray a = new JsonArray();
        a.add(caption(rng));
        a.add(caption(rng));
        o.add("captions", a);
      } else {
        o.addProperty("caption", caption(rng));
      }
      w.write(GSON.toJson(o));
      w.write('\n');
    }
    w.flush();
  }

  /**
   * A caption drawn from the same distribution whatever the row, so that data sets of different
   * sizes have the same token counts (a batch is padded to its longest caption, so longer captions
   * would make a larger data set's steps slower for reasons that are not the data path).
   */
  private static String caption(SplittableRandom rng) {
    return "a photo of a "
        + COLOURS.get(rng.nextInt(COLOURS.size()))
        + " "
        + THINGS.get(rng.nextInt(THINGS.size()))
        + " number "
        + String.format("%03d", rng.nextInt(1000));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
