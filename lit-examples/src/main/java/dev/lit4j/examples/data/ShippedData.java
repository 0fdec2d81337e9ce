package dev.lit4j.examples.data;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.training.ZeroShotSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-computed data set that ships with lit4j in {@code lit-examples/data}: locked MobileNetV2
 * embeddings ({@code block_13_expand_relu}, 576-d, float16) of
 *
 * <ul>
 *   <li>{@value #TRAIN}: Open Clip Art images with title/keyword captions — the training pairs;
 *   <li>{@value #EVAL}: Tux Paint stamps with their captions and 15 categories — held out for
 *       zero-shot classification and retrieval.
 * </ul>
 *
 * <p>Each folder holds an {@link EmbeddingStore} in {@code store/}, the {@code manifest.csv} it was
 * built from, and {@code captions.jsonl} ({@code {"id", "captions", "category"}} per image).
 * Training images that are near-duplicates of an evaluation image (cosine of their centred locked
 * embeddings at least {@link PrepareShippedData#NEAR_DUPLICATE_COSINE}) are listed in {@code
 * near-duplicates.txt} and left out of training. {@link PrepareShippedData} rebuilds everything
 * from the Debian packages. Thread-safe: immutable.
 *
 * @param directory the data directory holding both folders
 */
public record ShippedData(Path directory) {

  /** The training collection's folder. */
  public static final String TRAIN = "openclipart";

  /** The evaluation collection's folder. */
  public static final String EVAL = "tuxpaint";

  static final String STORE = "store";
  static final String CAPTIONS = "captions.jsonl";
  static final String NEAR_DUPLICATES = "near-duplicates.txt";

  /**
   * Locates the shipped data: {@code lit-examples/data} from the repository root, or {@code data}
   * from the module directory.
   *
   * @throws NoSuchFileException if neither exists
   */
  public static ShippedData locate() throws NoSuchFileException {
    for (Path p : List.of(Path.of("lit-examples", "data"), Path.of("data"))) {
      if (Files.isDirectory(p.resolve(TRAIN)) && Files.isDirectory(p.resolve(EVAL))) {
        return new ShippedData(p);
      }
    }
    throw new NoSuchFileException(
        "lit-examples/data",
        null,
        "the shipped embeddings were not found; run from the repository root or lit-examples");
  }

  /**
   * Loads the training pairs without the near-duplicates of evaluation images.
   *
   * @param identity the tower the store must have been built with
   * @throws IOException if a file is missing or unreadable
   */
  public PairedEmbeddings trainingPairs(TowerIdentity identity) throws IOException {
    Path dir = directory.resolve(TRAIN);
    Set<String> excluded = new HashSet<>(Files.readAllLines(dir.resolve(NEAR_DUPLICATES)));
    try (EmbeddingStore store = EmbeddingStore.open(dir.resolve(STORE), identity)) {
      PairedEmbeddings all = PairedEmbeddings.fromStore(store, dir.resolve(CAPTIONS));
      List<String> ids = store.ids();
      List<Integer> kept = new ArrayList<>();
      List<List<String>> captions = new ArrayList<>();
      for (int row = 0; row < ids.size(); row++) {
        if (!excluded.contains(ids.get(row))) {
          kept.add(row);
          captions.add(all.captions().get(row));
        }
      }
      return new PairedEmbeddings(select(all.images(), kept), captions);
    }
  }

  /**
   * Loads the evaluation images as a zero-shot set over their categories (class names spelled out,
   * e.g. "natural forces").
   *
   * @throws IOException if a file is missing or unreadable
   */
  public ZeroShotSet zeroShotSet(TowerIdentity identity) throws IOException {
    Path dir = directory.resolve(EVAL);
    try (EmbeddingStore store = EmbeddingStore.open(dir.resolve(STORE), identity)) {
      Map<String, String> categories = readCategories(dir.resolve(CAPTIONS));
      Map<String, Integer> classIndex = new LinkedHashMap<>();
      List<String> ids = store.ids();
      int[] truth = new int[ids.size()];
      for (int row = 0; row < ids.size(); row++) {
        String category = categories.get(ids.get(row));
        if (category == null) {
          throw new IllegalArgumentException(
              "image '"
                  + ids.get(row)
                  + "' of the store in "
                  + dir
                  + " has no line in "
                  + CAPTIONS);
        }
        truth[row] = classIndex.computeIfAbsent(category, c -> classIndex.size());
      }
      List<String> names = classIndex.keySet().stream().map(TuxPaintStamps::className).toList();
      return new ZeroShotSet(store.all(), names, truth);
    }
  }

  /**
   * Loads the evaluation images with their captions, for retrieval.
   *
   * @throws IOException if a file is missing or unreadable
   */
  public PairedEmbeddings retrievalPairs(TowerIdentity identity) throws IOException {
    Path dir = directory.resolve(EVAL);
    try (EmbeddingStore store = EmbeddingStore.open(dir.resolve(STORE), identity)) {
      return PairedEmbeddings.fromStore(store, dir.resolve(CAPTIONS));
    }
  }

  private static EmbeddingMatrix select(EmbeddingMatrix all, List<Integer> rows) {
    int d = all.dimension();
    float[] out = new float[rows.size() * d];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(all.matrix().row(rows.get(i)), 0, out, i * d, d);
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(rows.size(), d, out));
  }

  /** Reads the {@code id → category} map of a captions file (the captions are read elsewhere). */
  private static Map<String, String> readCategories(Path file) throws IOException {
    Gson gson = new Gson();
    Map<String, String> out = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          JsonObject o = gson.fromJson(line, JsonObject.class);
          out.put(o.get("id").getAsString(), o.get("category").getAsString());
        }
      }
    }
    return out;
  }
}
