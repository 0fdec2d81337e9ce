package dev.lit4j.training;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.lit4j.eval.EvaluationData;
import dev.lit4j.eval.EvaluationMetrics;
import dev.lit4j.eval.NamedZeroShotSet;
import dev.lit4j.eval.ZeroShotSetMetrics;
import dev.lit4j.io.AtomicFiles;
import dev.lit4j.retrieval.RankMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training metrics log: JSON Lines, one object per optimiser step ({@code "type": "step"}, the
 * fields of {@link StepMetrics}) and per evaluation ({@code "type": "eval"}, flattened {@link
 * EvaluationMetrics}). Each line is flushed as it is written, so a crashed run keeps everything up
 * to its last step. Numbers are written in shortest round-trip form: reading a loss back yields
 * exactly the logged double.
 *
 * <p>An evaluation line holds, for every zero-shot set named {@code n} (see {@link
 * NamedZeroShotSet}), the keys {@code nTop1}, {@code nTop5}, {@code nBalancedTop1}, {@code
 * nMostPredictedShare}, {@code nMajorityShare} and {@code nMeanClassCosine} (see {@link
 * dev.lit4j.eval.ClassificationDiagnostics}); for the retrieval set, {@code imageToTextR1/R5/R10},
 * {@code textToImageR1/R5/R10} and its name under {@code retrievalSet}. The one-set factories of
 * {@link EvaluationData} name the set {@code zeroShot}, so their lines keep the keys {@code
 * zeroShotTop1} and {@code zeroShotTop5} of earlier logs, which read back as before.
 *
 * <p>Not thread-safe. Close with try-with-resources; {@link #close()} is idempotent.
 */
public final class MetricsLog implements AutoCloseable {
  private static final Gson GSON = new Gson();

  /** The key of an evaluation line that holds the retrieval set's name. */
  static final String RETRIEVAL_SET = "retrievalSet";

  private final Path file;
  private final BufferedWriter writer;
  private boolean closed;

  private MetricsLog(Path file, BufferedWriter writer) {
    this.file = file;
    this.writer = writer;
  }

  /**
   * Starts a new log at {@code file}, replacing any existing one; parent directories are created.
   *
   * @param file the log file, JSON Lines
   * @return the open log; the caller closes it
   * @throws IOException if the file cannot be created
   */
  public static MetricsLog create(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    createParent(file);
    return new MetricsLog(
        file,
        Files.newBufferedWriter(
            file,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE));
  }

  /**
   * Continues the log of a run resumed after {@code step} completed steps: entries of later steps
   * (written after the checkpoint the run resumes from) are dropped by an atomic rewrite, then new
   * entries are appended. A missing file starts a new log.
   *
   * @param file the log file, JSON Lines
   * @param step the steps the resumed run has completed
   * @return the open log; the caller closes it
   * @throws IOException if the file cannot be read or written
   * @throws IllegalArgumentException if a line is not a metrics entry (its line number is named)
   */
  public static MetricsLog resume(Path file, int step) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      return create(file);
    }
    List<String> kept = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      if (parse(lines.get(i), file, i + 1).get("step").getAsInt() <= step) {
        kept.add(lines.get(i));
      }
    }
    StringBuilder text = new StringBuilder();
    for (String line : kept) {
      text.append(line).append(System.lineSeparator());
    }
    AtomicFiles.writeString(file, text.toString());
    return new MetricsLog(
        file,
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }

  /** {@return the log file} */
  public Path file() {
    return file;
  }

  /**
   * Appends one step's metrics and flushes.
   *
   * @param m the step's metrics
   * @throws IOException if writing fails
   * @throws IllegalStateException if the log is closed
   */
  public void append(StepMetrics m) throws IOException {
    Objects.requireNonNull(m, "m");
    JsonObject o = new JsonObject();
    o.addProperty("type", "step");
    o.addProperty("step", m.step());
    o.addProperty("epoch", m.epoch());
    o.addProperty("loss", m.loss());
    o.addProperty("temperature", m.temperature());
    o.addProperty("bias", m.bias());
    o.addProperty("learningRate", m.learningRate());
    o.addProperty("gradientNorm", m.gradientNorm());
    o.addProperty("pairsPerSecond", m.pairsPerSecond());
    write(o);
  }

  /**
   * Appends one evaluation's metrics and flushes.
   *
   * @param m the evaluation's metrics
   * @throws IOException if writing fails
   * @throws IllegalStateException if the log is closed
   */
  public void append(EvaluationMetrics m) throws IOException {
    Objects.requireNonNull(m, "m");
    JsonObject o = new JsonObject();
    o.addProperty("type", "eval");
    o.addProperty("step", m.step());
    for (ZeroShotSetMetrics z : m.zeroShotSets()) {
      String n = z.name();
      o.addProperty(n + "Top1", z.accuracy().top1());
      o.addProperty(n + "Top5", z.accuracy().top5());
      o.addProperty(n + "BalancedTop1", z.diagnostics().balancedTop1());
      o.addProperty(n + "MostPredictedShare", z.diagnostics().mostPredictedShare());
      o.addProperty(n + "MajorityShare", z.diagnostics().majorityShare());
      z.diagnostics().meanClassCosine().ifPresent(c -> o.addProperty(n + "MeanClassCosine", c));
    }
    m.retrievalSet()
        .ifPresent(
            r -> {
              o.addProperty(RETRIEVAL_SET, r.name());
              addRanks(o, "imageToText", r.recall().imageToText());
              addRanks(o, "textToImage", r.recall().textToImage());
            });
    write(o);
  }

  private static void addRanks(JsonObject o, String prefix, RankMetrics r) {
    o.addProperty(prefix + "R1", r.recallAt1());
    o.addProperty(prefix + "R5", r.recallAt5());
    o.addProperty(prefix + "R10", r.recallAt10());
  }

  private void write(JsonObject o) throws IOException {
    if (closed) {
      throw new IllegalStateException("metrics log " + file + " is closed");
    }
    writer.write(GSON.toJson(o));
    writer.newLine();
    writer.flush();
  }

  /**
   * Reads a log back.
   *
   * @param file the log file, JSON Lines
   * @return the step and evaluation entries, in file order
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if a line is not a metrics entry (its line number is named)
   */
  public static Entries read(Path file) throws IOException {
    List<StepMetrics> steps = new ArrayList<>();
    List<EvaluationPoint> evals = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonObject o = parse(lines.get(i), file, i + 1);
      if (o.get("type").getAsString().equals("step")) {
        steps.add(stepOf(o, file, i + 1));
      } else {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : o.keySet()) {
          JsonElement value = o.get(key);
          // Names (e.g. the retrieval set's) are strings; only numbers are metric values.
          if (!key.equals("type")
              && !key.equals("step")
              && value.isJsonPrimitive()
              && value.getAsJsonPrimitive().isNumber()) {
            values.put(key, value.getAsDouble());
          }
        }
        evals.add(new EvaluationPoint(o.get("step").getAsInt(), values));
      }
    }
    return new Entries(steps, evals);
  }

  private static StepMetrics stepOf(JsonObject o, Path file, int lineNumber) {
    try {
      return new StepMetrics(
          o.get("step").getAsInt(),
          o.get("epoch").getAsInt(),
          o.get("loss").getAsDouble(),
          o.get("temperature").getAsDouble(),
          o.get("bias").getAsDouble(),
          o.get("learningRate").getAsDouble(),
          o.get("gradientNorm").getAsDouble(),
          o.get("pairsPerSecond").getAsDouble());
    } catch (NullPointerException | UnsupportedOperationException | IllegalStateException e) {
      throw new IllegalArgumentException(
          file + " line " + lineNumber + " is not a complete step entry: " + o, e);
    }
  }

  private static JsonObject parse(String line, Path file, int lineNumber) {
    try {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      if (!o.has("type") || !o.has("step")) {
        throw new IllegalArgumentException(
            file + " line " + lineNumber + " lacks \"type\" or \"step\": " + line);
      }
      return o;
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new IllegalArgumentException(
          file + " line " + lineNumber + " is not a metrics entry: " + line, e);
    }
  }

  /**
   * The contents of a metrics log.
   *
   * @param steps the step entries, in file order
   * @param evaluations the evaluation entries, in file order
   */
  public record Entries(List<StepMetrics> steps, List<EvaluationPoint> evaluations) {
    /**
     * Copies both lists.
     *
     * @param steps the step entries, in file order
     * @param evaluations the evaluation entries, in file order
     */
    public Entries {
      steps = List.copyOf(steps);
      evaluations = List.copyOf(evaluations);
    }
  }

  /**
   * One evaluation entry as read back.
   *
   * @param step the number of completed steps when it ran
   * @param values the numeric metric values by key (e.g. {@code zeroShotTop1}, {@code
   *     tuxpaintBalancedTop1}, {@code imageToTextR5}); string fields such as the retrieval set's
   *     name are not included
   */
  public record EvaluationPoint(int step, Map<String, Double> values) {
    /**
     * Copies the map.
     *
     * @param step the number of completed steps when it ran
     * @param values the numeric metric values by key (e.g. {@code zeroShotTop1}, {@code
     *     tuxpaintBalancedTop1}, {@code imageToTextR5}); string fields such as the retrieval set's
     *     name are not included
     */
    public EvaluationPoint {
      values = Map.copyOf(values);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing metrics log " + file, e);
    }
  }
}
