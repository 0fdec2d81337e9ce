/**
 * Streaming training from a memory-mapped embedding store against training from memory: {@link
 * dev.lit4j.bench.streaming.StreamingTrainingBenchmark}, a plain program with a markdown report,
 * over a synthetic store of tens of millions of rows made by {@link
 * dev.lit4j.bench.streaming.SyntheticPairs}.
 */
package dev.lit4j.bench.streaming;
