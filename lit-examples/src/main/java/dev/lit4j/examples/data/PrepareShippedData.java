package dev.lit4j.examples.data;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
import dev.lit4j.model.ImageTower;
import dev.lit4j.progress.ConsoleProgressBar;
import dev.lit4j.pytorch.image.MobileNetV2Tower;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.store.StoreBuildSummary;
import dev.lit4j.store.StoreDtype;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the shipped data set ({@link ShippedData}): manifests, captions, float16 embedding
 * stores of the locked MobileNetV2 tower, stores of augmented views, and per training source the
 * list of images that near-duplicate an evaluation image.
 *
 * <pre>
 * apt-get install openclipart-png openclipart-svg tuxpaint-stamps-default dataset-fashion-mnist \
 *   librsvg2-bin
 * npm install --prefix /tmp/npmdata emoji-datasource-google@16.0.0 emoji-datasource-twitter@16.0.0 \
 *   openmoji@17.0.0 @lobehub/fluent-emoji-3d@1.1.0
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl lit-examples exec:java -Dexec.mainClass=dev.lit4j.examples.data.PrepareShippedData \
 *   -Dexec.args="--views 1"
 * </pre>
 *
 * <p>Options: {@code --out DIR} (default {@code lit-examples/data}), {@code --npm DIR} (the npm
 * prefix, default {@code /tmp/npmdata}), {@code --work DIR} (rendered images and views, default
 * {@code /tmp/lit4j-data}), {@code --views K} (augmented views per training image, default {@value
 * #DEFAULT_VIEWS}), {@code --seed N}, {@code --sources a,b} (training source folders, default all)
 * {@code --fashion-per-class N} (default {@value #FASHION_PER_CLASS}), {@code --tuxpaint DIR} and
 * {@code --fashion-mnist DIR} (default: where Debian installs them). Evaluation sets whose Debian
 * package is not installed are kept as shipped; Open Clip Art without {@code openclipart-svg} is
 * re-read from its shipped manifest and captions (its views need only {@code openclipart-png}).
 *
 * <p>Resumable: the store builds resume where a killed run stopped, and rendered views are reused.
 */
public final class PrepareShippedData {

  /**
   * Training images whose centred locked embedding has at least this cosine with an evaluation
   * image's are treated as the same picture (Tux Paint reuses some Open Clip Art drawings).
   */
  public static final double NEAR_DUPLICATE_COSINE = 0.95;

  /** Augmented views per training image by default. */
  public static final int DEFAULT_VIEWS = 1;

  /** Fashion-MNIST test images taken per class. */
  public static final int FASHION_PER_CLASS = 200;

  /** Seed of the augmented views by default. */
  public static final long DEFAULT_SEED = 20221;

  /**
   * What to build.
   *
   * @param out the data directory
   * @param npm the npm prefix holding {@code node_modules}
   * @param work where rendered images and views are written (not shipped)
   * @param views augmented views per training image, {@code >= 0}
   * @param seed seed of the views
   * @param sources the training sources to build
   * @param fashionPerClass Fashion-MNIST test images per class
   * @param tuxpaintRoot where the Tux Paint stamps are installed
   * @param fashionRoot where the Fashion-MNIST IDX files are installed
   */
  public record Options(
      Path out,
      Path npm,
      Path work,
      int views,
      long seed,
      Set<TrainingSource> sources,
      int fashionPerClass,
      Path tuxpaintRoot,
      Path fashionRoot) {
    /**
     * @throws IllegalArgumentException if {@code views < 0}, {@code fashionPerClass < 1} or no
     *     source is given
     */
    public Options {
      if (views < 0) {
        throw new IllegalArgumentException("--views must be >= 0, got " + views);
      }
      if (fashionPerClass < 1) {
        throw new IllegalArgumentException(
            "--fashion-per-class must be >= 1, got " + fashionPerClass);
      }
      sources = Set.copyOf(sources);
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("--sources must name at least one training source");
      }
    }

    /**
     * Parses command-line arguments (see the class documentation).
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it
     */
    public static Options parse(String... args) {
      Path out = Path.of("lit-examples/data");
      Path npm = Path.of("/tmp/npmdata");
      Path work = Path.of("/tmp/lit4j-data");
      int views = DEFAULT_VIEWS;
      long seed = DEFAULT_SEED;
      int perClass = FASHION_PER_CLASS;
      Set<TrainingSource> sources = EnumSet.allOf(TrainingSource.class);
      Path tuxpaint = TuxPaintStamps.DEBIAN_ROOT;
      Path fashion = FashionMnist.DEBIAN_ROOT;
      for (int i = 0; i < args.length; i++) {
        String option = args[i];
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("option " + option + " needs a value");
        }
        String value = args[++i];
        switch (option) {
          case "--out" -> out = Path.of(value);
          case "--npm" -> npm = Path.of(value);
          case "--work" -> work = Path.of(value);
          case "--views" -> views = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--fashion-per-class" -> perClass = Integer.parseInt(value);
          case "--tuxpaint" -> tuxpaint = Path.of(value);
          case "--fashion-mnist" -> fashion = Path.of(value);
          case "--sources" -> {
            sources = EnumSet.noneOf(TrainingSource.class);
            for (String s : value.split(",")) {
              sources.add(TrainingSource.ofFolder(s.strip()));
            }
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option '"
                      + option
                      + "', expected --out, --npm, --work, --views, --seed, --sources,"
                      + " --fashion-per-class, --tuxpaint or --fashion-mnist");
        }
      }
      return new Options(out, npm, work, views, seed, sources, perClass, tuxpaint, fashion);
    }
  }

  private PrepareShippedData() {}

  /**
   * Runs the preparation.
   *
   * @param args options, see the class documentation
   * @throws IOException if a package is missing or a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args);
    try (MobileNetV2Tower tower = MobileNetV2Tower.load()) {
      run(options, tower, System.err);
    }
  }

  /**
   * Builds the evaluation sets, then each training source with its views and near-duplicates.
   *
   * @return the number of base images per training source built
   * @throws IOException if a package is missing or a file cannot be written
   */
  public static Map<TrainingSource, Integer> run(Options options, ImageTower tower, PrintStream log)
      throws IOException {
    Path out = options.out();
    if (Files.isDirectory(options.tuxpaintRoot())) {
      build(out.resolve(ShippedData.EVAL), TuxPaintStamps.read(options.tuxpaintRoot()), tower, log);
    } else {
      log.println("tuxpaint-stamps-default not installed: keeping the shipped " + ShippedData.EVAL);
    }
    if (Files.isDirectory(options.fashionRoot())) {
      build(
          out.resolve(ShippedData.FASHION_MNIST),
          FashionMnist.read(
              options.fashionRoot(),
              options.fashionPerClass(),
              options.work().resolve(ShippedData.FASHION_MNIST)),
          tower,
          log);
    } else {
      log.println(
          "dataset-fashion-mnist not installed: keeping the shipped " + ShippedData.FASHION_MNIST);
    }
    List<EmbeddingMatrix> eval = new ArrayList<>();
    for (String set : List.of(ShippedData.EVAL, ShippedData.FASHION_MNIST)) {
      try (EmbeddingStore e =
          EmbeddingStore.open(out.resolve(set).resolve(ShippedData.STORE), tower.identity())) {
        eval.add(e.all());
      }
    }
    Map<TrainingSource, Integer> counts = new EnumMap<>(TrainingSource.class);
    for (TrainingSource source : EnumSet.copyOf(options.sources())) {
      List<CaptionedImage> images = read(source, options, out);
      log.printf("%s: %d images%n", source.folder(), images.size());
      Path dir = out.resolve(source.folder());
      build(dir, images, tower, log);
      Set<String> duplicates = writeNearDuplicates(dir, tower, eval, log);
      if (options.views() > 0) {
        List<CaptionedImage> kept =
            images.stream().filter(i -> !duplicates.contains(i.id())).toList();
        Path viewDir = options.work().resolve("views").resolve(source.folder());
        List<CaptionedImage> views =
            AugmentedViews.write(kept, options.views(), options.seed(), viewDir);
        buildStore(
            writeManifest(viewDir.resolve("manifest.csv"), views),
            dir.resolve(ShippedData.VIEWS),
            tower,
            log);
      }
      counts.put(source, images.size());
    }
    return counts;
  }

  private static List<CaptionedImage> read(TrainingSource source, Options options, Path out)
      throws IOException {
    Path modules = options.npm().resolve("node_modules");
    return switch (source) {
      case OPENCLIPART ->
          Files.isDirectory(OpenClipart.DEBIAN_ROOT.resolve("svg"))
              ? OpenClipart.read(OpenClipart.DEBIAN_ROOT)
              : readShipped(out.resolve(source.folder()));
      case EMOJI_GOOGLE ->
          EmojiDatasource.read(
              modules.resolve(EmojiDatasource.Style.GOOGLE.packageName()),
              EmojiDatasource.Style.GOOGLE,
              EmojiCatalog.read(modules.resolve(OpenMoji.PACKAGE)));
      case EMOJI_TWITTER ->
          EmojiDatasource.read(
              modules.resolve(EmojiDatasource.Style.TWITTER.packageName()),
              EmojiDatasource.Style.TWITTER,
              EmojiCatalog.read(modules.resolve(OpenMoji.PACKAGE)));
      case OPENMOJI ->
          OpenMoji.read(
              modules.resolve(OpenMoji.PACKAGE),
              EmojiCatalog.read(modules.resolve(OpenMoji.PACKAGE)),
              options.work().resolve("openmoji-" + OpenMoji.SIDE));
      case FLUENT_EMOJI_3D ->
          FluentEmoji3d.read(
              modules.resolve(FluentEmoji3d.PACKAGE),
              EmojiCatalog.read(modules.resolve(OpenMoji.PACKAGE)));
    };
  }

  /**
   * Re-reads a shipped collection from its {@code manifest.csv} (image paths) and {@code
   * captions.jsonl}, for rebuilding views or captions without the original metadata.
   */
  static List<CaptionedImage> readShipped(Path dir) throws IOException {
    Map<String, JsonObject> text = new HashMap<>();
    Gson gson = new Gson();
    for (String line : Files.readAllLines(dir.resolve(ShippedData.CAPTIONS))) {
      if (!line.isBlank()) {
        JsonObject o = gson.fromJson(line, JsonObject.class);
        text.put(o.get("id").getAsString(), o);
      }
    }
    List<CaptionedImage> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"));
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = csvFields(line);
      JsonObject o = text.get(fields.get(1));
      if (o == null) {
        throw new IOException(
            "image '" + fields.get(1) + "' of " + dir.resolve("manifest.csv") + " has no captions");
      }
      List<String> captions = new ArrayList<>();
      o.getAsJsonArray("captions").forEach(c -> captions.add(c.getAsString()));
      Path image = Path.of(fields.get(0));
      out.add(
          new CaptionedImage(
              fields.get(1),
              image,
              o.get("category").getAsString(),
              o.has("group") ? o.get("group").getAsString() : CaptionedImage.stem(image),
              captions));
    }
    return out;
  }

  static List<String> csvFields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  private static void build(
      Path dir, List<CaptionedImage> images, ImageTower tower, PrintStream log) throws IOException {
    Files.createDirectories(dir);
    Gson gson = new Gson();
    try (Writer captions =
        Files.newBufferedWriter(dir.resolve(ShippedData.CAPTIONS), StandardCharsets.UTF_8)) {
      for (CaptionedImage image : images) {
        JsonObject line = new JsonObject();
        line.addProperty("id", image.id());
        JsonArray texts = new JsonArray();
        image.captions().forEach(texts::add);
        line.add("captions", texts);
        line.addProperty("category", image.category());
        line.addProperty("group", image.group());
        captions.write(gson.toJson(line) + "\n");
      }
    }
    buildStore(
        writeManifest(dir.resolve("manifest.csv"), images),
        dir.resolve(ShippedData.STORE),
        tower,
        log);
  }

  static Path writeManifest(Path manifest, List<CaptionedImage> images) throws IOException {
    Files.createDirectories(manifest.getParent());
    try (Writer csv = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
      csv.write("path,id\n");
      for (CaptionedImage image : images) {
        csv.write(csvField(image.image().toString()) + "," + csvField(image.id()) + "\n");
      }
    }
    return manifest;
  }

  private static void buildStore(Path manifest, Path storeDir, ImageTower tower, PrintStream log)
      throws IOException {
    StoreBuildSummary summary =
        EmbeddingStoreBuilder.builder(manifest, storeDir, tower)
            .dtype(StoreDtype.FLOAT16)
            .progress(ConsoleProgressBar.to(log))
            .build();
    log.println(storeDir + ": " + summary);
  }

  /**
   * Lists the images of {@code dir}'s store that near-duplicate an evaluation image in {@code
   * dir/near-duplicates.txt} and returns their ids.
   */
  static Set<String> writeNearDuplicates(
      Path dir, ImageTower tower, List<EmbeddingMatrix> eval, PrintStream log) throws IOException {
    EmbeddingMatrix train;
    List<String> trainIds;
    try (EmbeddingStore t = EmbeddingStore.open(dir.resolve(ShippedData.STORE), tower.identity())) {
      train = t.all();
      trainIds = t.ids();
    }
    List<String> duplicates = nearDuplicates(train, trainIds, eval);
    Files.write(dir.resolve(ShippedData.NEAR_DUPLICATES), duplicates);
    log.printf(
        "%s: %d of %d images near-duplicate an evaluation image (centred cosine >= %.2f); excluded%n",
        dir.getFileName(), duplicates.size(), trainIds.size(), NEAR_DUPLICATE_COSINE);
    return new LinkedHashSet<>(duplicates);
  }

  /**
   * Returns the ids of the training rows whose centred embedding has a cosine of at least {@link
   * #NEAR_DUPLICATE_COSINE} with some evaluation row's. Each evaluation set is compared on its own,
   * centred on the mean of the training rows and that set, so adding an evaluation set never
   * changes which rows another one flags.
   */
  static List<String> nearDuplicates(
      EmbeddingMatrix train, List<String> trainIds, List<EmbeddingMatrix> eval) {
    // Pooled ReLU6 features share a large common component (median raw cosine of unrelated images:
    // 0.94), so duplicates are judged on centred features, where unrelated images score ~0.
    boolean[] duplicate = new boolean[train.size()];
    for (EmbeddingMatrix e : eval) {
      float[] mean = mean(List.of(train, e));
      FloatMatrix cos = Similarity.matrix(centred(train, mean), centred(e, mean));
      for (int i = 0; i < cos.rows(); i++) {
        for (int j = 0; j < cos.cols() && !duplicate[i]; j++) {
          duplicate[i] = cos.get(i, j) >= NEAR_DUPLICATE_COSINE;
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < duplicate.length; i++) {
      if (duplicate[i]) {
        out.add(trainIds.get(i));
      }
    }
    return out;
  }

  private static float[] mean(List<EmbeddingMatrix> matrices) {
    int d = matrices.get(0).dimension();
    double[] sum = new double[d];
    long rows = 0;
    for (EmbeddingMatrix m : matrices) {
      rows += m.size();
      float[] v = m.matrix().toArray();
      for (int i = 0; i < v.length; i++) {
        sum[i % d] += v[i];
      }
    }
    float[] mean = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (float) (sum[j] / rows);
    }
    return mean;
  }

  private static FloatMatrix centred(EmbeddingMatrix m, float[] mean) {
    float[] v = m.matrix().toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] -= mean[i % mean.length];
    }
    return EmbeddingMatrix.normalising(FloatMatrix.wrap(m.size(), m.dimension(), v)).matrix();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
