# Shared helpers for scripts/load-test.sh and scripts/bench.sh. Source it; it expects `set -euo pipefail`.
# Every process it starts is recorded in BENCH_PIDS and killed by bench_cleanup (install it with trap).
# Every wait is bounded; every network target is 127.0.0.1.

BENCH_PIDS=()
BENCH_TMP=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/crossword-bench.XXXXXX")}

bench_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "ERROR: $*"; exit 1; }

bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]:-}"; do
        [[ -n $pid ]] && bench_stop "$pid"
    done
    BENCH_PIDS=()
    if [[ -z ${BENCH_KEEP_TMP:-} ]]; then
        rm -rf "$BENCH_TMP"
    fi
}

# bench_stop PID: TERM, wait up to 10 s, then KILL. Only ever called with pids this script started.
bench_stop() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_sudo() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

bench_ensure_wrk() {
    command -v wrk >/dev/null && return 0
    bench_log "installing wrk (apt)"
    bench_sudo apt-get install -y -q wrk >/dev/null 2>&1 \
        || { bench_sudo apt-get update -q >/dev/null && bench_sudo apt-get install -y -q wrk >/dev/null; }
    command -v wrk >/dev/null || bench_die "wrk could not be installed"
}

# Maven, offline first (a warm ~/.m2), then online (Maven Central) for a fresh machine.
bench_mvn() {
    ./mvnw -q -B -ntp -o "$@" || ./mvnw -q -B -ntp "$@"
}

bench_ensure_jar() {
    if [[ ! -f target/crossword-helper.jar || -n ${BENCH_REBUILD:-} ]]; then
        bench_log "building target/crossword-helper.jar"
        bench_mvn package -DskipTests
    fi
}

bench_ensure_tiny_model() {
    local out=$1
    [[ -f $out ]] || scripts/tiny-model.sh "$out" 7 >/dev/null
}

# bench_start_service NAME [VAR=value ...]: starts the fat jar on a free loopback port with the given
# environment, waits for its "listening on" line, sets SVC_PID and SVC_PORT. Log: $BENCH_TMP/NAME.log
bench_start_service() {
    local name=$1 log="$BENCH_TMP/$1.log" i
    shift
    env CROSSWORD_HOST=127.0.0.1 CROSSWORD_PORT=0 "$@" \
        java ${BENCH_JAVA_OPTS:-} -jar target/crossword-helper.jar >"$log" 2>&1 &
    SVC_PID=$!
    BENCH_PIDS+=("$SVC_PID")
    SVC_PORT=
    for ((i = 0; i < 1200; i++)); do # 120 s
        SVC_PORT=$(grep -oE 'listening on [^ ]+:[0-9]+' "$log" 2>/dev/null | head -1 | sed 's/.*://') || true
        [[ -n $SVC_PORT ]] && break
        kill -0 "$SVC_PID" 2>/dev/null || { cat "$log" >&2; bench_die "$name exited during start-up"; }
        sleep 0.1
    done
    [[ -n $SVC_PORT ]] || { tail -20 "$log" >&2; bench_die "$name did not start within 120 s"; }
}

# bench_wait_ready PORT TIMEOUT_S: polls /health/ready until 200.
bench_wait_ready() {
    local port=$1 timeout=$2 i code
    for ((i = 0; i < timeout * 5; i++)); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)
        [[ $code == 200 ]] && return 0
        sleep 0.2
    done
    bench_die "/health/ready on port $port not 200 within ${timeout}s (last: $code)"
}

bench_rss_kb() { ps -o rss= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }

# bench_wrk OUTFILE WRK_ARGS...: runs wrk with wrk-status.lua and --latency, keeps its output.
bench_wrk() {
    local out=$1
    shift
    timeout 600 wrk --latency -s scripts/bench/wrk-status.lua "$@" >"$out" 2>&1 || { cat "$out" >&2; bench_die "wrk failed"; }
}

# bench_field FILE KEY: a key=value field of wrk-status.lua's RESULT line.
bench_field() { grep '^RESULT' "$1" | tr ' ' '\n' | grep "^$2=" | head -1 | cut -d= -f2; }

# bench_status FILE CODE: how many responses had this status (0 if none).
bench_status() { awk -v c="$2" '$1 == "STATUS" && $2 == c { n = $3 } END { print n + 0 }' "$1"; }

bench_median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# bench_pct P: the P-th percentile (nearest rank) of numbers on stdin.
bench_pct() { sort -g | awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print a[i] }'; }

# bench_ratio A B [DIGITS]
bench_ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b + 0 == 0) print "nan"; else printf "%.*f\n", d, a / b }'; }
