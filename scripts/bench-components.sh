#!/usr/bin/env bash
# Prints the per-call latency (median, p99) of parse + prompt through the pooled build-time-compiled
# components, the runtime compiler and the interpreter, with their ratios, from one JVM run.
# Usage: scripts/bench-components.sh [warmupCalls] [measuredCalls]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.github.crosswordhelper.bench.ComponentLatencyBenchmark "$@"
