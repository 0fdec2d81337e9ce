package dev.lit4j.examples.data;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.training.PairedEmbeddings;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pre-computed data set that ships with lit4j in {@code lit-examples/data}: locked MobileNetV2
 * embeddings ({@code block_13_expand_relu}, 576-d, float16) of
 *
 * <ul>
 *   <li>{@value #TRAIN}: Open Clip Art images with title/keyword captions — the training pairs;
 *   <li>{@value #EVAL}: Tux Paint stamps with their captions and 15 categories — held out for
 *       zero-shot classification and retrieval;
 *   <li>{@value #FASHION_MNIST}: 2,000 Fashion-MNIST test images, 200 per class — held out for
 *       zero-shot classification ({@link #fashionMnist});
 *   <li>one folder per further {@link TrainingSource} (emoji in several styles), loaded together
 *       with Open Clip Art by {@link #trainingCorpus}, each with a {@code SOURCE.md} (package,
 *       version, licence, counts) and, in {@code views/}, a store of pre-computed augmented views
 *       ({@link AugmentedViews}).
 * </ul>
 *
 * <p>Each folder holds an {@link EmbeddingStore} in {@code store/}, the {@code manifest.csv} it was
 * built from, and {@code captions.jsonl} ({@code {"id", "captions", "category", "group"}} per
 * image; a missing {@code group} is the id's file name without extension). Training images that are
 * near-duplicates of an evaluation image (cosine of their centred locked embeddings at least {@link
 * PrepareShippedData#NEAR_DUPLICATE_COSINE}, judged against Tux Paint and Fashion-MNIST) are listed
 * in each source's {@code near-duplicates.txt} and left out of training, views included. {@link
 * PrepareShippedData} rebuilds everything from the Debian and npm packages. Thread-safe: immutable.
 *
 * @param directory the data directory holding both folders
 */
public record ShippedData(Path directory) {

  /** The training collection's folder. */
  public static final String TRAIN = "openclipart";

  /** The evaluation collection's folder. */
  public static final String EVAL = "tuxpaint";

  /** The Fashion-MNIST zero-shot set's folder. */
  public static final String FASHION_MNIST = "fashion-mnist";

  static final String STORE = "store";
  static final String VIEWS = "views";
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
      return new PairedEmbeddings(
          TrainingCorpus.selectRows(all.images(), kept), captions, all.imageIdentity());
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

  /** Whether a training corpus includes the pre-computed augmented views of its images. */
  public enum Views {
    /** Only the images as published. */
    EXCLUDED,
    /**
     * The images and their augmented views ({@code <source>/views/}, ids {@code <id>#v<k>}), for
     * the sources that have a views store ({@link #hasViews}); the others contribute their images.
     */
    INCLUDED
  }

  /**
   * Loads the Fashion-MNIST test subset as a zero-shot set over its 10 classes, in the order of
   * {@link FashionMnist#CLASS_NAMES}.
   *
   * @param identity the tower the store must have been built with
   * @throws IOException if a file is missing or unreadable
   */
  public ZeroShotSet fashionMnist(TowerIdentity identity) throws IOException {
    Path dir = directory.resolve(FASHION_MNIST);
    try (EmbeddingStore store = EmbeddingStore.open(dir.resolve(STORE), identity)) {
      Map<String, String> categories = readCategories(dir.resolve(CAPTIONS));
      List<String> ids = store.ids();
      int[] truth = new int[ids.size()];
      for (int row = 0; row < ids.size(); row++) {
        String category = categories.get(ids.get(row));
        int c = category == null ? -1 : FashionMnist.CLASS_NAMES.indexOf(category);
        if (c < 0) {
          throw new IllegalArgumentException(
              "image '"
                  + ids.get(row)
                  + "' in "
                  + dir
                  + " has category '"
                  + category
                  + "', expected one of "
                  + FashionMnist.CLASS_NAMES);
        }
        truth[row] = c;
      }
      return new ZeroShotSet(store.all(), FashionMnist.CLASS_NAMES, truth);
    }
  }

  /**
   * Loads every training source ({@link TrainingSource#values()}) as one corpus, without the
   * near-duplicates of evaluation images (and their views).
   *
   * @param identity the tower the stores must have been built with
   * @param views whether to include the augmented views
   * @throws IOException if a file is missing or unreadable
   */
  public TrainingCorpus trainingCorpus(TowerIdentity identity, Views views) throws IOException {
    return trainingCorpus(identity, EnumSet.allOf(TrainingSource.class), views);
  }

  /**
   * Loads the given training sources as one corpus, in {@link TrainingSource} order, without the
   * near-duplicates of evaluation images (and their views). Within a source, the images come first
   * and then, if included, their views.
   *
   * @param identity the tower the stores must have been built with
   * @param sources the sources to load; not empty
   * @param views whether to include the augmented views
   * @throws IllegalArgumentException if {@code sources} is empty
   * @throws IOException if a file is missing or unreadable
   */
  public TrainingCorpus trainingCorpus(
      TowerIdentity identity, Set<TrainingSource> sources, Views views) throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(
          "no training source given; choose from " + List.of(TrainingSource.values()));
    }
    List<float[]> blocks = new ArrayList<>();
    List<List<String>> captions = new ArrayList<>();
    List<TrainingRow> rows = new ArrayList<>();
    int dimension = -1;
    for (TrainingSource source : EnumSet.copyOf(sources)) {
      Path dir = directory.resolve(source.folder());
      Map<String, RowText> text = readRows(dir.resolve(CAPTIONS));
      Path dupes = dir.resolve(NEAR_DUPLICATES);
      Set<String> excluded =
          Files.isRegularFile(dupes) ? new HashSet<>(Files.readAllLines(dupes)) : Set.of();
      List<Path> stores = new ArrayList<>(List.of(dir.resolve(STORE)));
      if (views == Views.INCLUDED && hasViews(source)) {
        stores.add(dir.resolve(VIEWS));
      }
      for (Path storeDir : stores) {
        try (EmbeddingStore store = EmbeddingStore.open(storeDir, identity)) {
          dimension = store.dimension();
          List<String> ids = store.ids();
          List<Integer> kept = new ArrayList<>();
          for (int row = 0; row < ids.size(); row++) {
            String id = ids.get(row);
            String base = AugmentedViews.baseId(id);
            if (excluded.contains(base)) {
              continue;
            }
            RowText t = text.get(base);
            if (t == null) {
              throw new IllegalArgumentException(
                  "image '" + id + "' of " + storeDir + " has no line in " + dir.resolve(CAPTIONS));
            }
            kept.add(row);
            captions.add(t.captions());
            rows.add(new TrainingRow(source, id, t.group(), t.category()));
          }
          blocks.add(TrainingCorpus.selectRows(store.all(), kept).matrix().toArray());
        }
      }
    }
    float[] all = new float[rows.size() * dimension];
    int at = 0;
    for (float[] b : blocks) {
      System.arraycopy(b, 0, all, at, b.length);
      at += b.length;
    }
    EmbeddingMatrix images =
        EmbeddingMatrix.normalising(FloatMatrix.wrap(rows.size(), dimension, all));
    return new TrainingCorpus(new PairedEmbeddings(images, captions, Optional.of(identity)), rows);
  }

  /** Whether {@code source} ships a store of augmented views ({@code <source>/views/}). */
  public boolean hasViews(TrainingSource source) {
    return Files.isRegularFile(
        directory.resolve(source.folder()).resolve(VIEWS).resolve("store.json"));
  }

  /** Captions, category and group of one image. */
  private record RowText(List<String> captions, String category, String group) {}

  /** Reads a captions file with categories and groups; a missing group is the id's file stem. */
  private static Map<String, RowText> readRows(Path file) throws IOException {
    Gson gson = new Gson();
    Map<String, RowText> out = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject o = gson.fromJson(line, JsonObject.class);
        String id = o.get("id").getAsString();
        List<String> captions = new ArrayList<>();
        o.getAsJsonArray("captions").forEach(c -> captions.add(c.getAsString()));
        String group =
            o.has("group") ? o.get("group").getAsString() : CaptionedImage.stem(Path.of(id));
        out.put(id, new RowText(List.copyOf(captions), o.get("category").getAsString(), group));
      }
    }
    return out;
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
