#!/usr/bin/env bash
# Verifies the committed WebAssembly components:
#   1. components/*.wasm match components/SHA256SUMS;
#   2. a clean build of a copy of components/ (in a temporary directory, so the
#      location of the checkout cannot matter) reproduces them byte for byte;
#   3. the unit tests of every crate pass;
#   4. the modules import nothing and export the canonical-ABI functions.
# Exits non-zero naming the offending file. Hashes are for Debian 12 (bookworm),
# rustc 1.63.0 (apt packages rustc, cargo, libstd-rust-dev-wasm32).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMP="$ROOT/components"
TARGET=wasm32-unknown-unknown
FILES=(clue-parser.wasm prompt-builder.wasm)
failures=0

fail() {
  echo "check-components: FAIL: $*" >&2
  failures=$((failures + 1))
}

ensure_toolchain() {
  if [ ! -x /usr/bin/rustc ] || [ ! -x /usr/bin/cargo ] || [ ! -d "/usr/lib/rustlib/$TARGET" ]; then
    echo "check-components: installing Debian's rustc, cargo and libstd-rust-dev-wasm32" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y rustc cargo libstd-rust-dev-wasm32
  fi
}

clean_cargo_env() {
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  unset RUSTFLAGS RUSTDOCFLAGS CARGO_ENCODED_RUSTFLAGS RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER CARGO_TARGET_DIR CARGO_INCREMENTAL
  local v
  for v in $(compgen -e); do
    case "$v" in CARGO_BUILD_*|CARGO_PROFILE_*|CARGO_TARGET_*) unset "$v" ;; esac
  done
  export CARGO_HOME="$WORK/cargo-home" CARGO_NET_OFFLINE=true
  mkdir -p "$CARGO_HOME"
}

ensure_toolchain
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
clean_cargo_env
version="$(/usr/bin/rustc --version)"

# 1. committed files against SHA256SUMS
if [ ! -f "$COMP/SHA256SUMS" ]; then
  fail "components/SHA256SUMS is missing"
else
  for f in "${FILES[@]}"; do
    expected="$(awk -v f="$f" '$2 == f || $2 == "*" f { print $1 }' "$COMP/SHA256SUMS")"
    if [ ! -f "$COMP/$f" ]; then
      fail "components/$f is missing"
    elif [ -z "$expected" ]; then
      fail "components/SHA256SUMS has no line for $f"
    else
      actual="$(sha256sum "$COMP/$f" | cut -d' ' -f1)"
      if [ "$actual" != "$expected" ]; then
        fail "components/$f does not match components/SHA256SUMS (listed $expected, file has $actual)"
      fi
    fi
  done
fi

# 2. rebuild a copy elsewhere and compare byte for byte
mkdir "$WORK/components"
tar -C "$COMP" --exclude=./target --exclude='./*.wasm' -cf - . | tar -C "$WORK/components" -xf -
cd "$WORK/components"
echo "check-components: building a copy in $WORK/components with $version" >&2
/usr/bin/cargo build --offline --locked --release --target "$TARGET"
for f in "${FILES[@]}"; do
  built="target/$TARGET/release/$(echo "${f%.wasm}" | tr - _).wasm"
  if [ ! -f "$built" ]; then
    fail "the build produced no $built for components/$f"
  elif [ -f "$COMP/$f" ] && ! cmp -s "$built" "$COMP/$f"; then
    fail "components/$f differs from a fresh build of components/${f%.wasm}/ ($(cmp "$built" "$COMP/$f" 2>&1 | head -n1 || true); built sha256 $(sha256sum "$built" | cut -d' ' -f1)); rebuild with scripts/build-components.sh (hashes are for Debian 12's rustc 1.63, this is $version)"
  fi
done

# 3. unit tests (native)
if ! /usr/bin/cargo test --offline --locked --workspace; then
  fail "cargo test failed in components/ (see output above)"
fi

# 4. imports / exports of the committed modules
if command -v python3 >/dev/null 2>&1; then
  for f in "${FILES[@]}"; do
    [ -f "$COMP/$f" ] || continue
    case "$f" in clue-parser.wasm) fn=parse ;; *) fn=build ;; esac
    if ! msg="$(python3 - "$COMP/$f" "$fn" 2>&1 <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
fn = sys.argv[2]
def leb(i):
    r = s = 0
    while True:
        b = data[i]; i += 1; r |= (b & 0x7f) << s; s += 7
        if b < 0x80: return r, i
if data[:8] != b'\0asm\1\0\0\0': sys.exit('not a wasm module')
i, exports = 8, set()
while i < len(data):
    sid = data[i]; size, j = leb(i + 1); end = j + size
    if sid == 2:
        n, _ = leb(j)
        if n: sys.exit('has %d import(s)' % n)
    if sid == 7:
        n, j = leb(j)
        for _ in range(n):
            ln, j = leb(j); exports.add(data[j:j + ln].decode()); j += ln + 1; _, j = leb(j)
    i = end
missing = {'memory', 'cabi_realloc', fn, 'cabi_post_' + fn} - exports
if missing: sys.exit('missing export(s) ' + ', '.join(sorted(missing)))
PY
)"; then
      fail "components/$f: $msg"
    fi
  done
else
  echo "check-components: python3 not found, skipping the import/export check" >&2
fi

if [ "$failures" -ne 0 ]; then
  echo "check-components: $failures problem(s) found" >&2
  exit 1
fi
echo "check-components: OK (${FILES[*]} reproduced byte for byte, tests pass)"
