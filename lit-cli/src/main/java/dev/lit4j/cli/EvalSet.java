package dev.lit4j.cli;

import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.eval.NamedRetrievalSet;
import dev.lit4j.eval.NamedZeroShotSet;
import dev.lit4j.eval.ZeroShotSet;
import dev.lit4j.image.ImageFiles;
import dev.lit4j.image.ImageReadException;
import dev.lit4j.io.CsvLine;
import dev.lit4j.model.ImageTower;
import dev.lit4j.progress.ProgressListener;
import dev.lit4j.progress.ProgressTracker;
import dev.lit4j.store.EmbeddingStoreBuilder;
import dev.lit4j.training.PairedEmbeddings;
import dev.lit4j.zeroshot.PromptTemplates;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A labelled evaluation set of image files: a CSV with a header naming a {@code path} and a {@code
 * label} column and optionally a {@code caption} column (other columns are ignored). Relative paths
 * resolve against the CSV's directory. The classes are the distinct labels, in order of first
 * appearance; the rows with a non-empty caption form the retrieval set.
 *
 * <pre>
 * path,label,caption
 * images/dog-1.png,dog,a dog asleep on a sofa
 * images/car-7.jpg,car,
 * </pre>
 *
 * @param file the CSV
 * @param rows its rows, in order
 */
record EvalSet(Path file, List<EvalSet.Row> rows) {
  /** The name the set's metrics carry in a training run's log ({@code evalTop1}, …). */
  static final String NAME = "eval";

  /** Images decoded and embedded per image-tower call. */
  private static final int BATCH = 16;

  EvalSet {
    rows = List.copyOf(rows);
  }

  /**
   * One image.
   *
   * @param line its 1-based line in the CSV
   * @param image the resolved path
   * @param label its true label
   * @param caption its caption, if any
   */
  record Row(int line, Path image, String label, Optional<String> caption) {}

  /**
   * The set embedded by an image tower.
   *
   * @param set what was embedded
   * @param images row {@code i}'s embedding
   */
  record Embedded(EvalSet set, EmbeddingMatrix images) {
    /** Returns the classes, in order of first appearance. */
    List<String> classes() {
      return set.classes();
    }

    /** Returns the zero-shot set: every image with the index of its label. */
    ZeroShotSet zeroShot() {
      List<String> classes = classes();
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int c = 0; c < classes.size(); c++) {
        index.put(classes.get(c), c);
      }
      int[] truth = set.rows().stream().mapToInt(r -> index.get(r.label())).toArray();
      return new ZeroShotSet(images, classes, truth);
    }

    /** Returns the images that have a caption, paired with it; empty if none has. */
    Optional<PairedEmbeddings> retrieval() {
      List<Embedding> captioned = new ArrayList<>();
      List<List<String>> captions = new ArrayList<>();
      for (int i = 0; i < set.rows().size(); i++) {
        Optional<String> caption = set.rows().get(i).caption();
        if (caption.isPresent()) {
          captioned.add(images.get(i));
          captions.add(List.of(caption.get()));
        }
      }
      return captioned.isEmpty()
          ? Optional.empty()
          : Optional.of(new PairedEmbeddings(EmbeddingMatrix.of(captioned), captions));
    }

    /** Returns the set as a trainer's named zero-shot set with {@code templates}. */
    NamedZeroShotSet named(PromptTemplates templates) {
      return new NamedZeroShotSet(NAME, zeroShot(), templates);
    }

    /** Returns the retrieval part as a trainer's named retrieval set. */
    Optional<NamedRetrievalSet> namedRetrieval() {
      return retrieval().map(p -> new NamedRetrievalSet(NAME, p));
    }
  }

  /** Returns the distinct labels in order of first appearance. */
  List<String> classes() {
    return rows.stream().map(Row::label).distinct().toList();
  }

  /**
   * Reads and checks the CSV.
   *
   * @param option the option that named it, for messages (e.g. {@code --set})
   * @throws CliException if the header lacks {@code path} or {@code label}, a label is empty, or
   *     there are fewer than two labels (the line or values are named)
   * @throws IllegalArgumentException if a line is not valid CSV (the line and column are named)
   */
  static EvalSet read(Path csv, String option) {
    List<String> lines;
    try {
      lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException(
          "cannot read the evaluation set (" + option + "): " + Errors.describe(e), e);
    }
    int header = 0;
    while (header < lines.size() && lines.get(header).isBlank()) {
      header++;
    }
    String format = "; expected a header path,label[,caption]";
    if (header == lines.size()) {
      throw new CliException(csv + " (" + option + ") is empty" + format);
    }
    List<String> columns =
        CsvLine.split(lines.get(header).replace("\uFEFF", ""), csv + " line " + (header + 1))
            .stream()
            .map(String::strip)
            .toList();
    int path = columns.indexOf("path");
    int label = columns.indexOf("label");
    int caption = columns.indexOf("caption");
    if (path < 0 || label < 0) {
      throw new CliException(
          csv
              + " ("
              + option
              + "): the header "
              + columns
              + " has no path and label columns"
              + format);
    }
    Path base = csv.toAbsolutePath().getParent();
    List<Row> rows = new ArrayList<>();
    for (int i = header + 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String where = csv + " line " + (i + 1);
      List<String> fields = CsvLine.split(lines.get(i), where);
      if (fields.size() != columns.size()) {
        throw new CliException(
            where + " has " + fields.size() + " fields, the header has " + columns.size());
      }
      String l = fields.get(label).strip();
      if (l.isEmpty() || fields.get(path).isBlank()) {
        throw new CliException(where + ": the path and the label must not be empty");
      }
      Optional<String> c =
          caption < 0 || fields.get(caption).isBlank()
              ? Optional.empty()
              : Optional.of(fields.get(caption).strip());
      rows.add(new Row(i + 1, base.resolve(fields.get(path)), l, c));
    }
    EvalSet set = new EvalSet(csv, rows);
    if (set.classes().size() < 2) {
      throw new CliException(
          csv
              + " ("
              + option
              + ") has "
              + rows.size()
              + " image(s) and the labels "
              + set.classes()
              + "; zero-shot evaluation needs images of at least two labels");
    }
    return set;
  }

  /**
   * Reads every image and embeds it with {@code tower}, in batches.
   *
   * @throws CliException naming the CSV line and the file if an image cannot be read
   */
  Embedded embed(ImageTower tower, ProgressListener progress) {
    List<Embedding> out = new ArrayList<>(rows.size());
    ProgressTracker tracker = ProgressTracker.start("embedding", "images", rows.size(), progress);
    try {
      for (int from = 0; from < rows.size(); from += BATCH) {
        List<Row> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
        List<BufferedImage> images = new ArrayList<>(batch.size());
        for (Row r : batch) {
          try {
            images.add(ImageFiles.read(r.image(), EmbeddingStoreBuilder.DEFAULT_MIN_DECODED_SIDE));
          } catch (ImageReadException e) {
            throw new CliException(
                file
                    + " line "
                    + r.line()
                    + ": "
                    + e.getMessage()
                    + "; fix the path or remove the line",
                e);
          }
        }
        EmbeddingMatrix m = tower.embedAll(images);
        for (int i = 0; i < m.size(); i++) {
          out.add(m.get(i));
        }
        tracker.advance(batch.size());
      }
    } finally {
      tracker.finish();
    }
    return new Embedded(this, EmbeddingMatrix.of(out));
  }
}
