#!/usr/bin/env bash
# Writes a tiny (~0.5 MB) random-weight llama GGUF for tests and local runs of the llama.cpp backend.
# Same seed, same bytes.
#
# usage: scripts/tiny-model.sh OUT.gguf [SEED]
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 OUT.gguf [SEED]" >&2
    exit 2
fi
out=$1
seed=${2:-42}
if ! [[ $seed =~ ^-?[0-9]+$ ]]; then
    echo "SEED must be an integer, got '$seed'" >&2
    exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
class=io.github.crosswordhelper.tools.TinyModelGenerator
classes=$root/target/classes
source=$root/src/main/java/io/github/crosswordhelper/tools/TinyModelGenerator.java

if [[ -f $classes/${class//.//}.class ]]; then
    exec java -cp "$classes" "$class" "$out" "$seed"
fi
# Java 11+ single-file source launch; the generator is self-contained for this.
exec java "$source" "$out" "$seed"
