/**
 * End-to-end throughput of lit4j's user-facing workloads (training steps, zero-shot classifier
 * construction, classification, embedding-store pre-computation): {@link
 * dev.lit4j.bench.endtoend.EndToEndBenchmark}, a plain program with a markdown report rather than
 * JMH, because each measurement takes seconds to minutes.
 */
package dev.lit4j.bench.endtoend;
