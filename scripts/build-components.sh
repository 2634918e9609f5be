#!/usr/bin/env bash
# Rebuilds the two WebAssembly components (components/clue-parser.wasm and
# components/prompt-builder.wasm) with Debian's own Rust toolchain, copies
# them next to their sources and rewrites components/SHA256SUMS.
# The committed hashes are for Debian 12 (bookworm), rustc 1.63.0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMP="$ROOT/components"
TARGET=wasm32-unknown-unknown

ensure_toolchain() {
  if [ ! -x /usr/bin/rustc ] || [ ! -x /usr/bin/cargo ] || [ ! -d "/usr/lib/rustlib/$TARGET" ]; then
    echo "build-components: installing Debian's rustc, cargo and libstd-rust-dev-wasm32" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rustc cargo libstd-rust-dev-wasm32
  fi
}

# Always Debian's toolchain (a rustup rustc earlier on PATH has no wasm32 std),
# and no user or environment cargo configuration that could change the output.
clean_cargo_env() {
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  unset RUSTFLAGS RUSTDOCFLAGS CARGO_ENCODED_RUSTFLAGS RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_TARGET_DIR CARGO_INCREMENTAL
  local v
  for v in $(compgen -e); do
    case "$v" in CARGO_BUILD_*|CARGO_PROFILE_*|CARGO_TARGET_*) unset "$v" ;; esac
  done
  CARGO_HOME="$(mktemp -d)"
  export CARGO_HOME CARGO_NET_OFFLINE=true
}

ensure_toolchain
clean_cargo_env
trap 'rm -rf "$CARGO_HOME"' EXIT
case "$(/usr/bin/rustc --version)" in
  "rustc 1.63."*) ;;
  *) echo "build-components: warning: $(/usr/bin/rustc --version) is not Debian 12's rustc 1.63; the .wasm bytes will differ from the committed ones" >&2 ;;
esac

cd "$COMP"
/usr/bin/cargo build --offline --locked --release --target "$TARGET"
install -m 644 "target/$TARGET/release/clue_parser.wasm" clue-parser.wasm
install -m 644 "target/$TARGET/release/prompt_builder.wasm" prompt-builder.wasm
sha256sum clue-parser.wasm prompt-builder.wasm > SHA256SUMS
cat SHA256SUMS
ls -l clue-parser.wasm prompt-builder.wasm
