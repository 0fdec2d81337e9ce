/**
 * LiT at cluster scale on Apache Spark: embedding an image collection with a locked image tower
 * ({@link dev.lit4j.spark.EmbeddingJob}), batch zero-shot classification ({@link
 * dev.lit4j.spark.ClassificationJob}) and text-to-image search ({@link dev.lit4j.spark.SearchJob}),
 * with {@link dev.lit4j.spark.StoreTransfer} moving embeddings between Parquet and the {@link
 * dev.lit4j.store.EmbeddingStore} format the single-machine trainer reads. {@link
 * dev.lit4j.spark.LitSpark} is the {@code spark-submit} entry point.
 *
 * <p>Built on Spark's Java {@code Dataset} API; Spark itself is a {@code provided} dependency.
 * Towers are never serialised: tasks carry a {@link dev.lit4j.spark.TowerSource}, and each executor
 * JVM loads the tower once (see {@code ExecutorTowers}). Text (labels, queries) is embedded on the
 * driver and broadcast, so executors need only the image tower, and only when they embed images.
 */
package dev.lit4j.spark;
