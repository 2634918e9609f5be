#!/usr/bin/env bash
# Offline tests of scripts/download-model.sh against a local HTTP server on
# 127.0.0.1 (Python, random free port, serving a generated 1 MiB file from a
# temporary folder; it honours Range requests so that resume can be tested).
# Prints "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT="$ROOT/scripts/download-model.sh"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0; failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -z "${2:-}" ] || sed 's/^/     | /' "$2"; }

# --- fixture: a 1 MiB file and a Range-capable server on a free port ---------
mkdir -p "$WORK/www"
head -c 1048576 /dev/urandom > "$WORK/www/model.gguf"
GOOD="$(sha256sum "$WORK/www/model.gguf" | cut -d' ' -f1)"
BAD="$(printf '%064d' 0)"
HALF=524288

cat > "$WORK/server.py" <<'PY'
import http.server, os, re, sys
root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = os.path.join(root, os.path.basename(self.path))
        if not os.path.isfile(path):
            self.send_error(404); return
        data = open(path, 'rb').read()
        rng = self.headers.get('Range')
        with open(log, 'a') as f:
            f.write('%s %s\n' % (self.path, rng or '-'))
        m = re.match(r'bytes=(\d+)-$', rng or '')
        if m:
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header('Content-Range', 'bytes */%d' % len(data))
                self.send_header('Content-Length', '0'); self.end_headers(); return
            self.send_response(206)
            self.send_header('Content-Range', 'bytes %d-%d/%d' % (start, len(data) - 1, len(data)))
            body = data[start:]
        else:
            self.send_response(200); body = data
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Accept-Ranges', 'bytes')
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + '.tmp', portfile)
server.serve_forever()
PY
python3 "$WORK/server.py" "$WORK/www" "$WORK/port" "$WORK/requests.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
[ -s "$WORK/port" ] || { echo "FAIL could not start the test HTTP server"; echo "0 passed, 1 failed"; exit 1; }
URL="http://127.0.0.1:$(cat "$WORK/port")/model.gguf"

# The models used below: Mistral (Apache-2.0, no pinned hash) and Llama 2 7B
# (licence must be accepted). --url points both at the local server.
M=mistral-7b-instruct-v0.3; MFILE=Mistral-7B-Instruct-v0.3-Q4_K_M.gguf
L=llama-2-7b-chat;          LFILE=llama-2-7b-chat.Q4_K_M.gguf

run() { # run NAME DEST ARGS... ; stdin is never a terminal here
  local name="$1" dest="$2"; shift 2
  mkdir -p "$dest"
  rc=0
  "$SCRIPT" --dest "$dest" --url "$URL" "$@" </dev/null >"$WORK/$name.out" 2>&1 || rc=$?
}
no_parts() { ! ls -A "$1" | grep -q '\.part$'; }

# 1. the right hash: the file appears under its final name, no .part is left
d="$WORK/t1"; run t1 "$d" --sha256 "$GOOD" "$M"
if [ "$rc" -eq 0 ] && cmp -s "$d/$MFILE" "$WORK/www/model.gguf" && no_parts "$d"; then
  pass "right --sha256: $MFILE downloaded and verified, no .part left"
else fail "right --sha256 (exit $rc)" "$WORK/t1.out"; fi

# 2. a wrong hash: non-zero exit, nothing under the final name, .part deleted
d="$WORK/t2"; run t2 "$d" --sha256 "$BAD" "$M"
if [ "$rc" -ne 0 ] && [ ! -e "$d/$MFILE" ] && no_parts "$d" && grep -q 'CHECKSUM MISMATCH' "$WORK/t2.out"; then
  pass "wrong --sha256: exit $rc, no $MFILE, no .part, clear message"
else fail "wrong --sha256 (exit $rc)" "$WORK/t2.out"; fi

# 3. resume: a .part holding the first half is completed with a Range request
d="$WORK/t3"; mkdir -p "$d"
head -c "$HALF" "$WORK/www/model.gguf" > "$d/.$MFILE.part"
: > "$WORK/requests.log"
run t3 "$d" --sha256 "$GOOD" "$M"
if [ "$rc" -eq 0 ] && cmp -s "$d/$MFILE" "$WORK/www/model.gguf" && no_parts "$d" \
   && grep -q "bytes=$HALF-" "$WORK/requests.log"; then
  pass "resume: the .part was continued from byte $HALF and verified"
else fail "resume (exit $rc; requests: $(tr '\n' ';' < "$WORK/requests.log"))" "$WORK/t3.out"; fi

# 4. a corrupt .part (right length, wrong bytes) is rejected, not renamed
d="$WORK/t4"; mkdir -p "$d"
head -c "$HALF" /dev/zero > "$d/.$MFILE.part"
run t4 "$d" --sha256 "$GOOD" "$M"
if [ "$rc" -ne 0 ] && [ ! -e "$d/$MFILE" ] && no_parts "$d"; then
  pass "corrupt .part: resumed bytes fail the hash, nothing under the final name"
else fail "corrupt .part (exit $rc)" "$WORK/t4.out"; fi

# 5. no pinned hash and no --sha256: refused before any request
d="$WORK/t5"; : > "$WORK/requests.log"
run t5 "$d" "$M"
if [ "$rc" -ne 0 ] && [ ! -e "$d/$MFILE" ] && [ ! -s "$WORK/requests.log" ] && grep -q 'no SHA-256 is pinned' "$WORK/t5.out"; then
  pass "no pinned hash, no --sha256: refused (exit $rc), nothing fetched"
else fail "no pinned hash, no --sha256 (exit $rc)" "$WORK/t5.out"; fi

# 6. the Llama 2 licence, stdin not a terminal, no --accept-license: refused
d="$WORK/t6"; : > "$WORK/requests.log"
run t6 "$d" --sha256 "$GOOD" "$L"
if [ "$rc" -eq 3 ] && [ ! -e "$d/$LFILE" ] && [ ! -s "$WORK/requests.log" ] \
   && grep -q 'Llama 2 Community License' "$WORK/t6.out" && grep -q -- '--accept-license' "$WORK/t6.out"; then
  pass "Llama 2 licence without --accept-license, no terminal: refused (exit 3), nothing fetched"
else fail "Llama 2 licence refusal (exit $rc)" "$WORK/t6.out"; fi

# 7. ... and with --accept-license it downloads
d="$WORK/t7"; run t7 "$d" --accept-license --sha256 "$GOOD" "$L"
if [ "$rc" -eq 0 ] && cmp -s "$d/$LFILE" "$WORK/www/model.gguf" && no_parts "$d"; then
  pass "Llama 2 licence with --accept-license: downloaded and verified"
else fail "Llama 2 with --accept-license (exit $rc)" "$WORK/t7.out"; fi

# 8. a verified file already present: left alone, no request made
d="$WORK/t1"; : > "$WORK/requests.log"
run t8 "$d" --sha256 "$GOOD" "$M"
if [ "$rc" -eq 0 ] && [ ! -s "$WORK/requests.log" ] && grep -q 'already present and verified' "$WORK/t8.out"; then
  pass "existing verified file: kept, nothing fetched"
else fail "existing verified file (exit $rc)" "$WORK/t8.out"; fi

# 9. a server error (404): non-zero exit, nothing under the final name
d="$WORK/t9"; mkdir -p "$d"; rc=0
"$SCRIPT" --dest "$d" --url "${URL%/*}/missing.gguf" --sha256 "$GOOD" "$M" </dev/null >"$WORK/t9.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && [ ! -e "$d/$MFILE" ]; then
  pass "HTTP 404: exit $rc, nothing under the final name"
else fail "HTTP 404 (exit $rc)" "$WORK/t9.out"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
