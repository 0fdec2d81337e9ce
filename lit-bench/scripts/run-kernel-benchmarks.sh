#!/usr/bin/env bash
# The full kernel-benchmark run behind docs/BENCHMARKS.md (about 15 minutes on 2 cores), then the
# report. Run from the repository root after `mvn -B -pl lit-bench -am package -DskipTests`.
# Results go to lit-bench/target/jmh-*.json; the report rewrites the generated region of
# docs/BENCHMARKS.md and docs/benchmarks/similarity-gflops.png.
set -euo pipefail

JAR=lit-bench/target/benchmarks.jar
OUT=lit-bench/target
JMH=(java -jar "$JAR" -f 1 -rf json)
SHORT=(-wi 1 -w 1s -i 2 -r 1s)   # small shapes: one warm-up and two measured 1-second iterations
ONCE=(-wi 0 -i 1)                # B = 16384: one measured call (each takes seconds to a minute)

# Similarity, B ≤ 4096: every shape, all three implementations.
"${JMH[@]}" 'SimilarityBench' "${SHORT[@]}" -p batch=256,1024,4096 -p dim=384,576,768 \
  -rff "$OUT/jmh-similarity-small.json"
# Similarity, B = 16384: the PyTorch GEMM ceiling at every D, the adapter and pure Java at D = 768.
"${JMH[@]}" 'SimilarityBench.pytorchGemm' "${ONCE[@]}" -p batch=16384 -p dim=384,576,768 \
  -rff "$OUT/jmh-similarity-16384-gemm.json"
"${JMH[@]}" 'SimilarityBench.(java|pytorch)$' "${ONCE[@]}" -p batch=16384 -p dim=768 \
  -rff "$OUT/jmh-similarity-16384.json"
# Losses, B ∈ {1024, 4096}, D = 768: everything.
"${JMH[@]}" 'LossBench' -wi 1 -w 1s -i 1 -r 1s -p batch=1024,4096 -p dim=768 \
  -rff "$OUT/jmh-loss-small.json"
# Losses, B = 16384, D = 768: PyTorch softmax forward + backward, full and chunked (sigmoid has the
# same GEMMs; pure Java at this size takes minutes per call on 2 cores; both are left out of the
# timed run).
"${JMH[@]}" 'LossBench.pytorchForwardBackward' "${ONCE[@]}" -p batch=16384 -p dim=768 -p kind=SOFTMAX \
  -rff "$OUT/jmh-loss-16384.json"

java -cp "$JAR" dev.lit4j.bench.report.BenchmarkReport \
  --doc docs/BENCHMARKS.md --chart docs/benchmarks/similarity-gflops.png \
  "$OUT"/jmh-similarity-small.json "$OUT"/jmh-similarity-16384-gemm.json \
  "$OUT"/jmh-similarity-16384.json "$OUT"/jmh-loss-small.json "$OUT"/jmh-loss-16384.json
