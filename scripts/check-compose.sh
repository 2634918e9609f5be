#!/usr/bin/env bash
# Checks compose.yaml without a Docker engine:
#   1. dclint (pinned version, installed with npm into target/tools/ when
#      missing) validates it against the Compose specification and its default
#      rules (plus .dclintrc, if present); any error or warning fails;
#   2. no two services publish the same host port, whatever their profiles:
#      services in different profiles may run together, so each needs its own;
#   3. the Dockerfile that compose builds: dockerfile-utils (pinned) lints it,
#      and every file it COPYs from the build context exists and is not
#      excluded by .dockerignore (no Docker engine is needed for any of this).
# Usage: scripts/check-compose.sh [COMPOSE_FILE...]   (default: compose.yaml)
# Needs Node.js and npm; installs Debian's nodejs and npm when npm is missing.
set -euo pipefail

DCLINT_VERSION=3.1.0
DOCKERFILE_UTILS_VERSION=0.16.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${DCLINT_PREFIX:-$ROOT/target/tools/dclint-$DCLINT_VERSION}"
DCLINT="$PREFIX/node_modules/.bin/dclint"

if [ "$#" -eq 0 ]; then
  set -- "$ROOT/compose.yaml"
fi

ensure_node() {
  if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    return
  fi
  echo "check-compose: installing Debian's nodejs and npm" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}

ensure_dclint() {
  if [ -x "$DCLINT" ] && [ "$("$DCLINT" --version 2>/dev/null)" = "$DCLINT_VERSION" ]; then
    return
  fi
  echo "check-compose: installing dclint@$DCLINT_VERSION into ${PREFIX#"$ROOT"/}" >&2
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "dclint@$DCLINT_VERSION" >/dev/null
  [ -x "$DCLINT" ] || { echo "check-compose: FAIL: npm did not install dclint" >&2; exit 1; }
}

DFU="$PREFIX/node_modules/.bin/dockerfile-utils"
ensure_dockerfile_utils() {
  if [ -x "$DFU" ] && grep -q "\"version\": \"$DOCKERFILE_UTILS_VERSION\"" \
       "$PREFIX/node_modules/dockerfile-utils/package.json" 2>/dev/null; then
    return
  fi
  echo "check-compose: installing dockerfile-utils@$DOCKERFILE_UTILS_VERSION into ${PREFIX#"$ROOT"/}" >&2
  npm install --prefix "$PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "dclint@$DCLINT_VERSION" "dockerfile-utils@$DOCKERFILE_UTILS_VERSION" >/dev/null
  [ -x "$DFU" ] || { echo "check-compose: FAIL: npm did not install dockerfile-utils" >&2; exit 1; }
}

ensure_node
node_version="$(node -p 'process.versions.node')"
case "$node_version" in
  [0-9].*|1[0-9].*|20.[0-9].*|20.1[0-8].*)
    echo "check-compose: warning: dclint $DCLINT_VERSION declares Node.js >= 20.19; this is $node_version" >&2 ;;
esac
ensure_dclint
ensure_dockerfile_utils

# dclint reads .dclintrc from the working directory.
cd "$ROOT"
failures=0
for file in "$@"; do
  echo "check-compose: dclint $DCLINT_VERSION on $file"
  # --max-warnings 0: a warning fails the check too.
  if ! "$DCLINT" --max-warnings 0 "$file"; then
    echo "check-compose: FAIL: dclint reported problems in $file" >&2
    failures=$((failures + 1))
  fi

  echo "check-compose: host ports in $file"
  if ! NODE_PATH="$PREFIX/node_modules" node - "$file" <<'JS'
// Lists every published host port and fails when two services claim one.
// Short syntax: "[HOST_IP:]HOST[-HOST]:CONTAINER[-CONTAINER][/PROTO]" or
// "CONTAINER" (no host port: ephemeral, ignored); long syntax: {published,
// host_ip, protocol}. A wildcard address (none, 0.0.0.0, ::) clashes with all.
const fs = require('fs');
const YAML = require('yaml');
const file = process.argv[2];
const doc = YAML.parse(fs.readFileSync(file, 'utf8')) || {};
const claims = [];
const problems = [];

function range(text) {
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(text).trim());
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  const out = [];
  for (let p = lo; p <= hi; p++) out.push(p);
  return out;
}

function parseShort(spec) {
  let s = String(spec).trim();
  let proto = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) { proto = s.slice(slash + 1); s = s.slice(0, slash); }
  let ip = '';
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(s); // [::1]:8080:80
  if (bracket) { ip = bracket[1]; s = bracket[2]; }
  const parts = s.split(':');
  if (parts.length === 1) return { ports: [], ip, proto }; // container port only
  if (parts.length === 3) { ip = parts[0]; parts.shift(); }
  if (parts.length !== 2) return null;
  if (parts[0] === '') return { ports: [], ip, proto }; // "ip::80": ephemeral
  const ports = range(parts[0]);
  return ports ? { ports, ip, proto } : null;
}

for (const [name, svc] of Object.entries(doc.services || {})) {
  for (const entry of (svc && svc.ports) || []) {
    let parsed;
    if (entry !== null && typeof entry === 'object') {
      const published = entry.published === undefined ? '' : String(entry.published);
      parsed = { ports: published === '' ? [] : range(published), ip: entry.host_ip || '', proto: entry.protocol || 'tcp' };
      if (parsed.ports === null) parsed = null;
    } else {
      parsed = parseShort(entry);
    }
    if (!parsed) { problems.push(`${name}: cannot read port entry ${JSON.stringify(entry)}`); continue; }
    for (const port of parsed.ports) claims.push({ name, port, ip: parsed.ip, proto: parsed.proto });
  }
}

const wildcard = ip => ip === '' || ip === '0.0.0.0' || ip === '::';
for (let i = 0; i < claims.length; i++) {
  for (let j = i + 1; j < claims.length; j++) {
    const a = claims[i], b = claims[j];
    if (a.port !== b.port || a.proto !== b.proto) continue;
    if (a.ip === b.ip || wildcard(a.ip) || wildcard(b.ip)) {
      problems.push(`host port ${a.port}/${a.proto} is published by both ${a.name}` +
        `${a.ip ? ' (' + a.ip + ')' : ''} and ${b.name}${b.ip ? ' (' + b.ip + ')' : ''}`);
    }
  }
}
for (const c of claims) console.log(`  ${c.name}: ${c.ip ? c.ip + ':' : ''}${c.port}/${c.proto}`);
if (problems.length) {
  for (const p of problems) console.error(`check-compose: FAIL: ${p}`);
  process.exit(1);
}
JS
  then
    failures=$((failures + 1))
  fi
done

echo "check-compose: Dockerfile"
if ! "$DFU" lint "$ROOT/Dockerfile"; then
  echo "check-compose: FAIL: dockerfile-utils reported problems in Dockerfile" >&2
  failures=$((failures + 1))
fi
if ! node - "$ROOT" <<'JS'
// Every COPY source taken from the build context must exist and must not be
// excluded by .dockerignore (a simplified matcher: "dir/", "*.ext", "**/x",
// exact paths; "!" re-includes are not used in this repository).
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
const text = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
const ignore = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n')
  .map(l => l.trim()).filter(l => l && !l.startsWith('#'));
const toRegex = p => new RegExp('^' + p.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&')
  .replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '(.*/)?') + '(/.*)?$');
const rules = ignore.map(p => ({ p, re: toRegex(p) }));
let bad = 0;
for (const line of text.split('\n')) {
  const m = /^\s*COPY\s+(.*)$/i.exec(line);
  if (!m) continue;
  const words = m[1].trim().split(/\s+/).filter(w => !w.startsWith('--chown') && !w.startsWith('--chmod') && !w.startsWith('--link'));
  if (m[1].includes('--from=')) continue;
  for (const src of words.slice(0, -1)) {
    const rel = src.replace(/\/$/, '');
    if (!fs.existsSync(path.join(root, rel))) { console.error(`check-compose: FAIL: COPY source ${src} does not exist`); bad++; continue; }
    const hit = rules.find(r => r.re.test(rel));
    if (hit) { console.error(`check-compose: FAIL: COPY source ${src} is excluded by .dockerignore (${hit.p})`); bad++; continue; }
    console.log(`  COPY ${src}: present, in the build context`);
  }
}
process.exit(bad ? 1 : 0);
JS
then
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "check-compose: $failures problem(s) found" >&2
  exit 1
fi
echo "check-compose: OK"
