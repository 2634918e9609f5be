#!/usr/bin/env bash
# Load test of the running service, in two phases, on loopback only.
#
# 1. Thesaurus backend, cache off: wrk at 64 connections (2 threads) against POST /api/v1/clues/parse and
#    GET /api/v1/suggestions (rotating clues), each for long enough to make at least LOAD_MIN_REQUESTS
#    (default 10000) requests, after a 5 s warm-up at the same load. Prints throughput, p50/p99 latency and errors; any non-2xx response or
#    socket error fails the script.
# 2. Overload: the tiny random-weight local model with 2 slots and a queue of 2, flooded by wrk at 64
#    connections on GET /api/v1/suggestions?count=20 for LOAD_FLOOD_SECONDS (default 10). Counts 200 vs
#    503, times the refusals and /health with a curl probe running alongside, and checks RSS before and
#    after and that the process is alive and answering afterwards.
#
# usage: scripts/load-test.sh          (LOAD_MIN_REQUESTS, LOAD_FLOOD_SECONDS, LOAD_503_P99_MAX_MS,
#                                        LOAD_HEALTH_P99_MAX_MS override the defaults)
# Needs: JDK 17+, curl; installs wrk with apt when missing; builds the jar when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/lib.sh
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

MIN_REQUESTS=${LOAD_MIN_REQUESTS:-10000}
FLOOD_SECONDS=${LOAD_FLOOD_SECONDS:-10}
MAX_503_P99_MS=${LOAD_503_P99_MAX_MS:-250}
MAX_HEALTH_P99_MS=${LOAD_HEALTH_P99_MAX_MS:-500}
CONNECTIONS=64
WRK_THREADS=2

bench_ensure_wrk
bench_ensure_jar
WARMUP_SECONDS=${LOAD_WARMUP_SECONDS:-5}
failures=()
warnings=()
summary=()

# run_until_enough NAME MODE: a warm-up run (WARMUP_SECONDS, also the calibration; its errors are reported,
# and fail the script only with LOAD_STRICT_WARMUP=1), then one run sized for MIN_REQUESTS (+20%), repeated
# once with twice the duration if the machine was too slow. Output: $BENCH_TMP/NAME.wrk and NAME.warmup.wrk.
run_until_enough() {
    local name=$1 mode=$2 out="$BENCH_TMP/$1.wrk" warm="$BENCH_TMP/$1.warmup.wrk" rate secs attempt requests werr
    WRK_MODE=$mode bench_wrk "$warm" -t$WRK_THREADS -c$CONNECTIONS -d"${WARMUP_SECONDS}s" --timeout 10s "http://127.0.0.1:$SVC_PORT/"
    rate=$(bench_field "$warm" rps)
    werr=$(bench_field "$warm" non2xx)
    if ((werr > 0)); then
        warnings+=("$name warm-up (cold JVM, ${WARMUP_SECONDS}s): $werr of $(bench_field "$warm" requests) non-2xx: $(grep '^STATUS' "$warm" | awk '{ printf "%s x %s  ", $2, $3 }')")
        [[ -z ${LOAD_STRICT_WARMUP:-} ]] || failures+=("${warnings[-1]}")
    fi
    secs=$(awk -v r="$rate" -v n="$MIN_REQUESTS" 'BEGIN { s = int(n * 1.2 / (r > 1 ? r : 1)) + 1; if (s < 5) s = 5; if (s > 300) s = 300; print s }')
    for attempt in 1 2; do
        bench_log "$name: wrk -t$WRK_THREADS -c$CONNECTIONS -d${secs}s (calibrated at $rate req/s)"
        WRK_MODE=$mode bench_wrk "$out" -t$WRK_THREADS -c$CONNECTIONS -d"${secs}s" --timeout 10s "http://127.0.0.1:$SVC_PORT/"
        requests=$(bench_field "$out" requests)
        ((requests >= MIN_REQUESTS)) && return 0
        secs=$((secs * 2 > 300 ? 300 : secs * 2))
    done
    failures+=("$name: only $requests requests (< $MIN_REQUESTS)")
}

report_phase1() {
    local name=$1 out="$BENCH_TMP/$2.wrk" requests rps p50 p99 non2xx sock
    requests=$(bench_field "$out" requests)
    rps=$(bench_field "$out" rps)
    p50=$(bench_field "$out" p50_ms)
    p99=$(bench_field "$out" p99_ms)
    non2xx=$(bench_field "$out" non2xx)
    sock=$(($(bench_field "$out" connect) + $(bench_field "$out" read) + $(bench_field "$out" write) + $(bench_field "$out" timeout)))
    # wrk's own accounting, as a cross-check of the Lua counters.
    local wrk_non2xx
    wrk_non2xx=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' "$out" | grep -oE '[0-9]+$' || echo 0)
    printf '%-28s requests %7d   %8.1f req/s   p50 %7.2f ms   p99 %7.2f ms   non-2xx %d (wrk: %d)   socket errors %d\n' \
        "$name" "$requests" "$rps" "$p50" "$p99" "$non2xx" "$wrk_non2xx" "$sock"
    summary+=("$(printf '%-34s %7d req  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d' "$name" "$requests" "$rps" "$p50" "$p99" $((non2xx + sock)))")
    ((non2xx + wrk_non2xx + sock == 0)) || failures+=("$name: $non2xx non-2xx (lua), $wrk_non2xx non-2xx (wrk), $sock socket errors")
}

# ---------------------------------------------------------------- phase 1
bench_log "phase 1: thesaurus backend, cache off"
bench_start_service thesaurus CROSSWORD_BACKEND=thesaurus CROSSWORD_CACHE_ENABLED=false
bench_wait_ready "$SVC_PORT" 240
bench_log "service pid $SVC_PID on 127.0.0.1:$SVC_PORT is ready"
run_until_enough parse parse
run_until_enough suggestions suggest
echo
echo "== phase 1: $CONNECTIONS connections, $WRK_THREADS wrk threads, thesaurus backend, cache off"
report_phase1 "POST /api/v1/clues/parse" parse
report_phase1 "GET /api/v1/suggestions" suggestions
grep -A5 'Latency Distribution' "$BENCH_TMP/parse.wrk" | sed 's/^/  parse  /'
grep -A5 'Latency Distribution' "$BENCH_TMP/suggestions.wrk" | sed 's/^/  suggest/'
bench_stop "$SVC_PID"

# ---------------------------------------------------------------- phase 2
bench_log "phase 2: tiny local model, 2 slots + 2 queued, flooded by $CONNECTIONS connections"
model="$BENCH_TMP/tiny.gguf"
bench_ensure_tiny_model "$model"
mkdir -p "$BENCH_TMP/native"
bench_start_service local CROSSWORD_BACKEND=local CROSSWORD_MODEL="$model" CROSSWORD_LOCAL_PARALLEL=2 \
    CROSSWORD_LOCAL_QUEUE=2 CROSSWORD_LOCAL_THREADS=1 CROSSWORD_CACHE_ENABLED=false \
    CROSSWORD_NATIVE_TMPDIR="$BENCH_TMP/native"
bench_wait_ready "$SVC_PORT" 240
base="http://127.0.0.1:$SVC_PORT"
q='clue=Shade%20of%20pink%20(6)&count=20'
first=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$base/api/v1/suggestions?$q")
[[ $first == 200 ]] || failures+=("local: first suggestion answered $first, not 200")
rss_before=$(bench_rss_kb "$SVC_PID")

WRK_MODE=suggest WRK_COUNT=20 timeout $((FLOOD_SECONDS + 60)) wrk --latency -s scripts/bench/wrk-status.lua \
    -t$WRK_THREADS -c$CONNECTIONS -d"${FLOOD_SECONDS}s" --timeout 30s "$base/" >"$BENCH_TMP/flood.wrk" 2>&1 &
wrk_pid=$!
BENCH_PIDS+=("$wrk_pid")
sleep 1
# Probe while the flood runs: one suggestion (expect a fast 503) and one /health per round.
: >"$BENCH_TMP/probe-503.txt" >"$BENCH_TMP/probe-200.txt" >"$BENCH_TMP/probe-health.txt"
retry_after=
deadline=$((SECONDS + FLOOD_SECONDS - 2))
for ((i = 0; i < 400 && SECONDS < deadline; i++)); do
    read -r code t < <(curl -s -D "$BENCH_TMP/probe.headers" -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 \
        "$base/api/v1/suggestions?clue=Probe%20$i%20(6)&count=20" || echo "000 0")
    case $code in
    503) echo "$t" >>"$BENCH_TMP/probe-503.txt"
         [[ -n $retry_after ]] || retry_after=$(grep -i '^retry-after:' "$BENCH_TMP/probe.headers" | tr -d '\r' | cut -d' ' -f2) ;;
    200) echo "$t" >>"$BENCH_TMP/probe-200.txt" ;;
    *) failures+=("probe: suggestion answered $code during the flood") ;;
    esac
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 10 "$base/health" || echo "000 0")
    [[ $code == 200 ]] && echo "$t" >>"$BENCH_TMP/probe-health.txt" || failures+=("probe: /health answered $code during the flood")
    sleep 0.05
done
rss_during=$(bench_rss_kb "$SVC_PID")
wait "$wrk_pid" || failures+=("flood wrk exited non-zero")
sleep 1
rss_after=$(bench_rss_kb "$SVC_PID")
alive=no
kill -0 "$SVC_PID" 2>/dev/null && alive=yes
after_health=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "$base/health" || echo "000 0")
after_suggest=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$base/api/v1/suggestions?clue=After%20the%20flood%20(6)&count=20" || echo 000)

f="$BENCH_TMP/flood.wrk"
n200=$(bench_status "$f" 200)
n503=$(bench_status "$f" 503)
nall=$(bench_field "$f" requests)
nother=$((nall - n200 - n503))
fsock=$(($(bench_field "$f" connect) + $(bench_field "$f" read) + $(bench_field "$f" write) + $(bench_field "$f" timeout)))
ms() { awk '{ printf "%.1f", $1 * 1000 }'; }
p50_503=$(bench_pct 50 <"$BENCH_TMP/probe-503.txt" | ms)
p99_503=$(bench_pct 99 <"$BENCH_TMP/probe-503.txt" | ms)
n_503_probes=$(wc -l <"$BENCH_TMP/probe-503.txt")
n_200_probes=$(wc -l <"$BENCH_TMP/probe-200.txt")
p50_h=$(bench_pct 50 <"$BENCH_TMP/probe-health.txt" | ms)
p99_h=$(bench_pct 99 <"$BENCH_TMP/probe-health.txt" | ms)
n_h=$(wc -l <"$BENCH_TMP/probe-health.txt")

echo
echo "== phase 2: flood, $CONNECTIONS connections for ${FLOOD_SECONDS}s, local tiny model, 2 slots + queue 2, 1 thread"
printf 'wrk: %d requests (%.1f req/s): 200 x %d, 503 x %d, other x %d, socket errors %d; overall p50 %.2f ms p99 %.2f ms\n' \
    "$nall" "$(bench_field "$f" rps)" "$n200" "$n503" "$nother" "$fsock" "$(bench_field "$f" p50_ms)" "$(bench_field "$f" p99_ms)"
grep '^STATUS' "$f" | sed 's/^/  /'
printf 'probe during flood: suggestion 503 x %d (p50 %s ms, p99 %s ms, Retry-After: %s), 200 x %d\n' \
    "$n_503_probes" "$p50_503" "$p99_503" "${retry_after:-none}" "$n_200_probes"
printf 'probe during flood: /health x %d, p50 %s ms, p99 %s ms\n' "$n_h" "$p50_h" "$p99_h"
printf 'RSS: before %d MiB, during %d MiB, after %d MiB; alive after: %s; /health after: %s; a suggestion after: %s\n' \
    $((rss_before / 1024)) $((rss_during / 1024)) $((rss_after / 1024)) "$alive" "$after_health" "$after_suggest"

((n200 > 0)) || failures+=("flood: no 200 at all")
((n503 > 0)) || failures+=("flood: no 503 at all (the queue never filled?)")
((nother == 0)) || failures+=("flood: $nother responses neither 200 nor 503")
((fsock == 0)) || failures+=("flood: $fsock socket errors")
((n_503_probes > 0)) || failures+=("probe: no 503 seen")
awk -v p="$p99_503" -v m="$MAX_503_P99_MS" 'BEGIN { exit !(p != "nan" && p <= m) }' \
    || failures+=("probe: 503 p99 $p99_503 ms > $MAX_503_P99_MS ms")
awk -v p="$p99_h" -v m="$MAX_HEALTH_P99_MS" 'BEGIN { exit !(p != "nan" && p <= m) }' \
    || failures+=("probe: /health p99 $p99_h ms > $MAX_HEALTH_P99_MS ms")
[[ -n $retry_after ]] || failures+=("probe: 503 without Retry-After")
[[ $alive == yes ]] || failures+=("process died during the flood")
[[ ${after_health%% *} == 200 ]] || failures+=("/health after the flood: $after_health")
[[ $after_suggest == 200 ]] || failures+=("a suggestion after the flood answered $after_suggest")
summary+=("$(printf '%-34s 200 x %d, 503 x %d, other %d; 503 p99 %s ms; /health p99 %s ms; RSS %d -> %d MiB; alive %s' \
    "flood (local, 2 slots + 2 queued)" "$n200" "$n503" "$nother" "$p99_503" "$p99_h" $((rss_before / 1024)) $((rss_after / 1024)) "$alive")")
bench_stop "$SVC_PID"

echo
echo "================================ load-test summary ================================"
printf '%s\n' "${summary[@]}"
if ((${#warnings[@]})); then
    echo "WARNINGS (not counted; LOAD_STRICT_WARMUP=1 makes them failures):"
    printf '  - %s\n' "${warnings[@]}"
fi
if ((${#failures[@]})); then
    echo "FAILED:"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
echo "PASSED: 0 errors at $CONNECTIONS connections; overload refused fast with 503 + Retry-After; process alive."
