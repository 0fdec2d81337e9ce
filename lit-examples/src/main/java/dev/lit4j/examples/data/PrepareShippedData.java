package dev.lit4j.examples.data;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.math.FloatMatrix;
import dev.lit4j.math.Similarity;
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
import java.util.List;

/**
 * Rebuilds the shipped data set ({@link ShippedData}) from Debian's {@code openclipart-png}, {@code
 * openclipart-svg} and {@code tuxpaint-stamps-default} packages: manifests, captions, float16
 * embedding stores of the locked MobileNetV2 tower, and the list of training images that
 * near-duplicate an evaluation image.
 *
 * <pre>
 * apt-get install openclipart-png openclipart-svg tuxpaint-stamps-default
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl lit-examples exec:java -Dexec.mainClass=dev.lit4j.examples.data.PrepareShippedData
 * </pre>
 *
 * <p>Resumable: the store builds resume where a killed run stopped.
 */
public final class PrepareShippedData {

  /**
   * Training images whose centred locked embedding has at least this cosine with an evaluation
   * image's are treated as the same picture (Tux Paint reuses some Open Clip Art drawings).
   */
  public static final double NEAR_DUPLICATE_COSINE = 0.95;

  private PrepareShippedData() {}

  /**
   * Runs the preparation.
   *
   * @param args optional: the output directory (default {@code lit-examples/data})
   * @throws IOException if a package is missing or a file cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "lit-examples/data");
    PrintStream log = System.err;
    try (MobileNetV2Tower tower = MobileNetV2Tower.load()) {
      List<CaptionedImage> eval = TuxPaintStamps.read(TuxPaintStamps.DEBIAN_ROOT);
      List<CaptionedImage> train = OpenClipart.read(OpenClipart.DEBIAN_ROOT);
      log.printf("%d evaluation images, %d training images%n", eval.size(), train.size());
      build(out.resolve(ShippedData.EVAL), eval, tower, log);
      build(out.resolve(ShippedData.TRAIN), train, tower, log);
      writeNearDuplicates(out, tower, log);
    }
  }

  private static void build(
      Path dir, List<CaptionedImage> images, MobileNetV2Tower tower, PrintStream log)
      throws IOException {
    Files.createDirectories(dir);
    Path manifest = dir.resolve("manifest.csv");
    Gson gson = new Gson();
    try (Writer csv = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8);
        Writer captions =
            Files.newBufferedWriter(dir.resolve(ShippedData.CAPTIONS), StandardCharsets.UTF_8)) {
      csv.write("path,id\n");
      for (CaptionedImage image : images) {
        csv.write(csvField(image.image().toString()) + "," + csvField(image.id()) + "\n");
        JsonObject line = new JsonObject();
        line.addProperty("id", image.id());
        JsonArray texts = new JsonArray();
        image.captions().forEach(texts::add);
        line.add("captions", texts);
        line.addProperty("category", image.category());
        captions.write(gson.toJson(line) + "\n");
      }
    }
    Path storeDir = dir.resolve(ShippedData.STORE);
    StoreBuildSummary summary =
        EmbeddingStoreBuilder.builder(manifest, storeDir, tower)
            .dtype(StoreDtype.FLOAT16)
            .progress(ConsoleProgressBar.to(log))
            .build();
    log.println(dir.getFileName() + ": " + summary);
  }

  private static void writeNearDuplicates(Path out, MobileNetV2Tower tower, PrintStream log)
      throws IOException {
    EmbeddingMatrix train;
    EmbeddingMatrix eval;
    List<String> trainIds;
    try (EmbeddingStore t =
            EmbeddingStore.open(
                out.resolve(ShippedData.TRAIN).resolve(ShippedData.STORE), tower.identity());
        EmbeddingStore e =
            EmbeddingStore.open(
                out.resolve(ShippedData.EVAL).resolve(ShippedData.STORE), tower.identity())) {
      train = t.all();
      eval = e.all();
      trainIds = t.ids();
    }
    // Pooled ReLU6 features share a large common component (median raw cosine of unrelated images:
    // 0.94), so duplicates are judged on centred features, where unrelated images score ~0.
    float[] mean = mean(train, eval);
    FloatMatrix cos = Similarity.matrix(centred(train, mean), centred(eval, mean));
    List<String> duplicates = new ArrayList<>();
    for (int i = 0; i < cos.rows(); i++) {
      for (int j = 0; j < cos.cols(); j++) {
        if (cos.get(i, j) >= NEAR_DUPLICATE_COSINE) {
          duplicates.add(trainIds.get(i));
          break;
        }
      }
    }
    Files.write(out.resolve(ShippedData.TRAIN).resolve(ShippedData.NEAR_DUPLICATES), duplicates);
    log.printf(
        "%d training images near-duplicate an evaluation image (centred cosine >= %.2f); excluded%n",
        duplicates.size(), NEAR_DUPLICATE_COSINE);
  }

  private static float[] mean(EmbeddingMatrix a, EmbeddingMatrix b) {
    int d = a.dimension();
    double[] sum = new double[d];
    for (EmbeddingMatrix m : List.of(a, b)) {
      float[] v = m.matrix().toArray();
      for (int i = 0; i < v.length; i++) {
        sum[i % d] += v[i];
      }
    }
    float[] mean = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (float) (sum[j] / (a.size() + b.size()));
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
