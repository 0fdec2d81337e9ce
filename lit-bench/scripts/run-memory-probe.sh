#!/usr/bin/env bash
# Peak extra memory of one forward + backward softmax loss call, full against chunked (see
# LossMemoryProbe). One fresh JVM per row; prints markdown rows. D is small because the B×B terms
# dominate and do not depend on D; B×D terms are listed separately in docs/BENCHMARKS.md.
set -euo pipefail
JAR=lit-bench/target/benchmarks.jar
probe() { java -Xmx12g -Dai.djl.offline=true -cp "$JAR" dev.lit4j.bench.memory.LossMemoryProbe "$@" | grep '^|'; }
echo "| impl | loss | form | B | D | chunkRows | peak RSS growth GiB | allocated GiB (JVM) | seconds | value |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
probe pytorch SOFTMAX FULL 16384 64 1024
probe pytorch SOFTMAX CHUNKED 16384 64 1024
probe java SOFTMAX FULL 16384 64 1024
probe java SOFTMAX CHUNKED 16384 64 1024
# B = 65536: one call takes minutes on 2 cores, so it is warmed up on a small batch instead.
probe pytorch SOFTMAX CHUNKED 65536 64 1024 --no-warm-up
