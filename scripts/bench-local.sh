#!/usr/bin/env bash
# Prints tokens/s through the service's local llama.cpp backend and through LlamaModel.complete directly,
# on the same model in the same JVM, with their ratio.
# Usage: scripts/bench-local.sh [MODEL.gguf] [rounds] [threads]   (default: the generated tiny model, 30, 1)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  io.github.crosswordhelper.backend.llama.LocalTokensBenchmark "$@"
