package dev.lit4j.spark;

import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.image.ImageReadException;
import dev.lit4j.model.ImageTower;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Embeds one partition of a manifest ({@code path}, {@code id} rows) in batches with this JVM's
 * tower ({@link ExecutorTowers}), producing one outcome row per input row: an embedding, or a
 * reason and detail. The next batch is decoded on a helper thread while the tower embeds the
 * current one ({@link DecodeAhead}), so a task holds at most two batches of decoded images.
 *
 * <p>Failures, as in {@link dev.lit4j.store.EmbeddingStoreBuilder}: an image that cannot be read
 * gets its {@link ImageReadException.Reason}; if the tower throws a {@link RuntimeException} for a
 * batch, the batch is embedded one image at a time and those it still fails on get {@code
 * TOWER_FAILED} with the exception's class and message (at most 1000 characters). Unlike the
 * builder, a tower failing on every image does not stop the job: every row is rejected, and the
 * error output says why. {@link Error}s are not caught.
 */
final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DETAIL = 1000;

  /** id, path, embedding (null if failed), reason and detail (null if embedded). */
  static final StructType OUTCOME =
      new StructType(
          new StructField[] {
            new StructField(LitColumns.ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField(LitColumns.PATH, DataTypes.StringType, false, Metadata.empty()),
            new StructField(
                LitColumns.EMBEDDING,
                DataTypes.createArrayType(DataTypes.FloatType, false),
                true,
                Metadata.empty()),
            new StructField(LitColumns.REASON, DataTypes.StringType, true, Metadata.empty()),
            new StructField(LitColumns.DETAIL, DataTypes.StringType, true, Metadata.empty())
          });

  private final TowerSource source;
  private final Broadcast<Map<String, String>> hadoopConf;
  private final String base;
  private final EmbeddingOptions options;

  EmbedPartition(
      TowerSource source,
      Broadcast<Map<String, String>> hadoopConf,
      String base,
      EmbeddingOptions options) {
    this.source = source;
    this.hadoopConf = hadoopConf;
    this.base = base;
    this.options = options;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    Configuration conf = new Configuration(false);
    hadoopConf.value().forEach(conf::set);
    ImageSource images = new ImageSource(conf, base, options.minDecodedSide(), options.maxPixels());
    return new DecodeAhead<>(
        input, options.batchSize(), batch -> decode(batch, images), this::embed);
  }

  /** The images of one batch that could be read, and the rows of those that could not. */
  record Decoded(List<Row> failures, List<BufferedImage> images, List<String[]> idsAndPaths) {}

  /** Reads and decodes one batch of manifest rows ({@code path}, {@code id}). */
  static Decoded decode(List<Row> batch, ImageSource images) {
    List<Row> failures = new ArrayList<>();
    List<String[]> idsAndPaths = new ArrayList<>();
    List<BufferedImage> decoded = new ArrayList<>();
    for (Row row : batch) {
      String path = row.isNullAt(0) ? "" : row.getString(0);
      String id = row.isNullAt(1) || row.getString(1).isEmpty() ? path : row.getString(1);
      if (path.isEmpty()) {
        failures.add(
            failed(id, path, ImageReadException.Reason.MISSING.name(), "the path is empty"));
        continue;
      }
      try {
        decoded.add(images.read(path));
        idsAndPaths.add(new String[] {id, path});
      } catch (ImageReadException e) {
        failures.add(failed(id, path, e.reason().name(), e.detail()));
      }
    }
    return new Decoded(failures, decoded, idsAndPaths);
  }

  private List<Row> embed(Decoded d) {
    List<Row> out = new ArrayList<>(d.failures());
    if (d.images().isEmpty()) {
      return out;
    }
    // Looked up per batch, not per partition: a partition of unreadable rows never loads a tower.
    return ExecutorTowers.use(
        source, tower -> embedDecoded(tower, d.images(), d.idsAndPaths(), out));
  }

  /** Embeds the decoded images, appending their rows to {@code out}; returns {@code out}. */
  private static List<Row> embedDecoded(
      ImageTower tower, List<BufferedImage> decoded, List<String[]> decodedRows, List<Row> out) {
    try {
      EmbeddingMatrix rows = tower.embedAll(decoded);
      for (int i = 0; i < decoded.size(); i++) {
        String[] r = decodedRows.get(i);
        out.add(RowFactory.create(r[0], r[1], rows.get(i).toArray(), null, null));
      }
    } catch (RuntimeException batchFailure) {
      // Find the images the tower fails on alone; the others are embedded one at a time.
      for (int i = 0; i < decoded.size(); i++) {
        String[] r = decodedRows.get(i);
        try {
          float[] e = tower.embed(decoded.get(i)).toArray();
          out.add(RowFactory.create(r[0], r[1], e, null, null));
        } catch (RuntimeException e) {
          out.add(failed(r[0], r[1], LitColumns.TOWER_FAILED, describe(e)));
        }
      }
    }
    return out;
  }

  private static Row failed(String id, String path, String reason, String detail) {
    return RowFactory.create(id, path, null, reason, detail);
  }

  private static String describe(RuntimeException e) {
    String d = e.getClass().getName() + ": " + e.getMessage();
    return d.length() <= MAX_DETAIL ? d : d.substring(0, MAX_DETAIL);
  }
}
