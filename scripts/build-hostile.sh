#!/usr/bin/env bash
# Rebuilds every hostile test component (src/test/resources/hostile/*.wasm) from its .wat source with
# wat2wasm (Debian's wabt), so the committed .wasm files always match their sources. Installs wabt when
# wat2wasm is missing (sudo only when not root). Usage: scripts/build-hostile.sh [--check]
#   --check  rebuild into a temporary directory and fail when a committed .wasm differs from its .wat
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/src/test/resources/hostile"
CHECK=false
if [ "${1:-}" = "--check" ]; then CHECK=true; fi

if ! command -v wat2wasm >/dev/null 2>&1; then
  echo "build-hostile: installing wabt (wat2wasm)" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wabt
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
status=0
shopt -s nullglob
for wat in "$DIR"/*.wat; do
  name="$(basename "$wat" .wat)"
  wat2wasm "$wat" -o "$out/$name.wasm"
  if $CHECK; then
    if ! cmp -s "$out/$name.wasm" "$DIR/$name.wasm"; then
      echo "build-hostile: $DIR/$name.wasm does not match $name.wat (run scripts/build-hostile.sh)" >&2
      status=1
    fi
  else
    install -m 644 "$out/$name.wasm" "$DIR/$name.wasm"
    echo "$name.wasm"
  fi
done
for wasm in "$DIR"/*.wasm; do
  if [ ! -f "${wasm%.wasm}.wat" ]; then
    echo "build-hostile: $wasm has no .wat source" >&2
    status=1
  fi
done
exit $status
