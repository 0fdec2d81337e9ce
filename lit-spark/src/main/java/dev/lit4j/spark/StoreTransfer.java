package dev.lit4j.spark;

import static org.apache.spark.sql.functions.col;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lit4j.embedding.Embedding;
import dev.lit4j.embedding.EmbeddingMatrix;
import dev.lit4j.model.TowerIdentity;
import dev.lit4j.store.EmbeddingStore;
import dev.lit4j.store.EmbeddingStoreWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Moves embeddings between lit-spark's Parquet output and the {@link EmbeddingStore} directory
 * format the single-machine trainer reads, so a collection embedded on a cluster trains on one GPU
 * box, and a store built on one machine can be searched or classified on a cluster.
 *
 * <pre>{@code
 * StoreTransfer.toStore(spark, "s3a://bucket/embeddings", "s3a://bucket/errors", Path.of("store"));
 * try (EmbeddingStore store = EmbeddingStore.open(Path.of("store"), tower.identity())) { ... }
 * }</pre>
 *
 * <p><b>Export</b> ({@link #toStore}) streams the Parquet rows to the driver in {@code id} order
 * ({@code toLocalIterator}, one partition at a time) and writes them with {@link
 * EmbeddingStoreWriter}: row {@code i} of {@code embeddings.npy} (float32) is the {@code i}-th id
 * in sort order, {@code index.jsonl} keeps each row's {@code path}, and the error output's rows, if
 * given, follow as {@code rejects.jsonl} lines (sorted by id) with their reasons. The store's tower
 * identity and dimension are those in the embedding column's metadata ({@link LitColumns#towerOf}):
 * Parquet without them is refused. Its {@code manifestSha256} is the SHA-256 of the source URIs and
 * the names and lengths of their Parquet files, so re-exporting the same output gives the same
 * store. The driver needs the store's disk space, not its heap.
 *
 * <p><b>Import</b> ({@link #fromStore}) opens a complete store, checking that it was built by the
 * expected tower, and writes its rows as embeddings Parquet ({@link LitColumns#embeddingsSchema},
 * identity in the metadata) in chunks of {@value #IMPORT_CHUNK} rows; the store's rejects are not
 * imported.
 *
 * <p>Thread-safety: the static methods hold no state; do not write one target from two threads.
 */
public final class StoreTransfer {
  /** Rows per Parquet append in {@link #fromStore}. */
  static final int IMPORT_CHUNK = 65_536;

  private StoreTransfer() {}

  /**
   * Exports embeddings Parquet (and optionally its error output) into a new store directory.
   *
   * @param spark the session to read the Parquet with; its driver writes the store
   * @param embeddingsUri embeddings written by {@link EmbeddingJob} or {@link #fromStore}
   * @param errorsUri the matching error output, or {@code null}
   * @param storeDir a new or empty local directory
   * @return the number of rows written
   * @throws IllegalArgumentException if the Parquet carries no tower identity, or {@code storeDir}
   *     is not empty
   * @throws IOException if the store cannot be written
   */
  public static long toStore(
      SparkSession spark, String embeddingsUri, String errorsUri, Path storeDir)
      throws IOException {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(storeDir, "storeDir");
    Dataset<Row> embeddings = spark.read().parquet(embeddingsUri);
    TowerIdentity tower = LitColumns.towerOf(embeddings.schema());
    int dimension = LitColumns.dimensionOf(embeddings.schema());
    List<String> sources = new ArrayList<>(List.of(embeddingsUri));
    if (errorsUri != null) {
      sources.add(errorsUri);
    }
    long rows = 0;
    try (EmbeddingStoreWriter writer =
        EmbeddingStoreWriter.create(storeDir, tower, dimension, digest(spark, sources))) {
      Iterator<Row> it =
          embeddings
              .select(col(LitColumns.ID), col(LitColumns.PATH), col(LitColumns.EMBEDDING))
              .orderBy(LitColumns.ID)
              .toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        writer.add(r.getString(0), r.getString(1), Embedding.of(LitColumns.floats(r, 2)));
        rows++;
      }
      if (errorsUri != null) {
        Iterator<Row> errors =
            spark
                .read()
                .parquet(errorsUri)
                .select(
                    col(LitColumns.ID),
                    col(LitColumns.PATH),
                    col(LitColumns.REASON),
                    col(LitColumns.DETAIL))
                .orderBy(LitColumns.ID)
                .toLocalIterator();
        while (errors.hasNext()) {
          Row r = errors.next();
          writer.reject(r.getString(0), r.getString(1), r.getString(2), r.getString(3));
        }
      }
      writer.finish();
    }
    return rows;
  }

  /**
   * Imports a complete store as embeddings Parquet at {@code embeddingsUri}, which must not exist.
   *
   * @param spark the session to write the Parquet with
   * @param storeDir a complete store directory, readable by the driver; opened and closed here
   * @param embeddingsUri where the embeddings Parquet directory is written (a local path or a
   *     Hadoop file-system URI); must not exist
   * @param expected the identity of the tower the caller expects the store to hold
   * @return the number of rows written (the store's size; an empty store writes nothing)
   * @throws IllegalArgumentException if the store was built by another tower (both are named)
   * @throws IllegalStateException if the store is incomplete
   * @throws IOException if the store cannot be read
   */
  public static long fromStore(
      SparkSession spark, Path storeDir, TowerIdentity expected, String embeddingsUri)
      throws IOException {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(embeddingsUri, "embeddingsUri");
    try (EmbeddingStore store = EmbeddingStore.open(storeDir, expected)) {
      StructType schema = LitColumns.embeddingsSchema(store.identity(), store.dimension());
      List<String> paths = paths(storeDir, store.size());
      SaveMode mode = SaveMode.ErrorIfExists;
      for (int from = 0; from < store.size(); from += IMPORT_CHUNK) {
        int to = Math.min(store.size(), from + IMPORT_CHUNK);
        EmbeddingMatrix chunk = store.rows(from, to);
        List<Row> rows = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          rows.add(
              RowFactory.create(store.ids().get(i), paths.get(i), chunk.get(i - from).toArray()));
        }
        spark.createDataFrame(rows, schema).write().mode(mode).parquet(embeddingsUri);
        mode = SaveMode.Append;
      }
      return store.size();
    }
  }

  /** Reads the {@code path} of every row from the store's {@code index.jsonl}, in row order. */
  private static List<String> paths(Path storeDir, int size) throws IOException {
    List<String> out = new ArrayList<>(size);
    try (BufferedReader in =
        Files.newBufferedReader(storeDir.resolve("index.jsonl"), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          JsonObject o = JsonParser.parseString(line).getAsJsonObject();
          out.add(o.get("path").getAsString());
        }
      }
    }
    if (out.size() != size) {
      throw new IOException(
          storeDir.resolve("index.jsonl") + " has " + out.size() + " rows, the store " + size);
    }
    return out;
  }

  private static String digest(SparkSession spark, List<String> uris) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
    for (String uri : uris) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      sha.update((uri + "\n").getBytes(StandardCharsets.UTF_8));
      List<FileStatus> files = new ArrayList<>(List.of(fs.listStatus(p)));
      files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      for (FileStatus f : files) {
        String name = f.getPath().getName();
        if (name.endsWith(".parquet")) {
          sha.update((name + " " + f.getLen() + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
