/**
 * Turns JMH's JSON results into the kernel section of {@code docs/BENCHMARKS.md}: times, GFLOP/s,
 * fractions of the PyTorch GEMM ceiling, loss-to-GEMM ratios against the project's targets, and a
 * PNG chart. Entry point: {@link dev.lit4j.bench.report.BenchmarkReport}.
 */
package dev.lit4j.bench.report;
