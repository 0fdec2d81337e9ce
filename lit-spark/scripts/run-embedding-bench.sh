#!/usr/bin/env bash
# Times lit-spark's embedding job in local[1]/local[2] against EmbeddingStoreBuilder on the same
# synthetic PNG files and prints a Markdown section for docs/BENCHMARKS.md.
# Usage (from the repository root, after `mvn -B install -DskipTests`):
#   lit-spark/scripts/run-embedding-bench.sh [images=192] [runs=2]
# Extra Maven options (e.g. -Dmaven.repo.local=…) can be passed in MVN_OPTS_EXTRA.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q ${MVN_OPTS_EXTRA:-} -pl lit-spark test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# The --add-opens flags Spark needs on Java 17, as the module's tests use them.
ARGS=$(sed -n 's/.*<argLine>\(.*\)<\/argLine>.*/\1/p' lit-spark/pom.xml)
# shellcheck disable=SC2086
exec java $ARGS -Dai.djl.offline=true -Dlit4j.cache.dir=lit-spark/target/lit4j-cache \
  -cp "lit-spark/target/classes:lit-spark/target/test-classes:$(cat lit-spark/target/bench.classpath)" \
  dev.lit4j.spark.EmbeddingJobBench "$@"
