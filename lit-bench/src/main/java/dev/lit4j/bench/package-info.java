/**
 * JMH benchmarks of lit4j's kernels: {@link dev.lit4j.bench.SimilarityBench} (the similarity GEMM,
 * pure Java against PyTorch and PyTorch's own GEMM as the ceiling) and {@link
 * dev.lit4j.bench.LossBench} (softmax and sigmoid losses, forward and forward + backward, full and
 * chunked). Run them from the shaded jar, {@code lit-bench/target/benchmarks.jar}; {@code
 * docs/BENCHMARKS.md} lists the command lines and the results.
 */
package dev.lit4j.bench;
