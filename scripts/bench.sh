#!/usr/bin/env bash
# The benchmark suite: every number next to a baseline measured in the same run, their ratio and the
# target. One command on a fresh clone (JDK 17+, curl; installs wrk with apt; Node.js for the V8 row).
#
#   scripts/bench.sh              full run (about 8-10 minutes on 2 busy cores)
#   BENCH_QUICK=1 scripts/bench.sh   smaller, faster run (about 4 minutes)
#
# Rows:
#   1. parse + prompt per call (ComponentLatencyBenchmark): compiled pool vs interpreter, and vs the same two
#      .wasm files under Node.js/V8 (scripts/bench/v8-components.mjs, same inputs and call counts).
#   2. HTTP: POST /api/v1/clues/parse vs GET /health throughput on one server (wrk, same connections and
#      duration, alternating).
#   3. Cold start to the first parsed clue vs a bare Javalin + Jackson hello world (scripts/bench/HelloWorld.java)
#      on the same JVM and dependency classpath; median of N launches each, alternating; and idle RSS.
#   4. Local backend tokens/s through the service vs LlamaModel.complete (LocalTokensBenchmark, tiny model).
#   5. 4 concurrent local suggest() calls vs the same 4 one at a time (ConcurrentLocalBenchmark, tiny model).
# Knobs: BENCH_CONNECTIONS (64), BENCH_LAUNCHES (5; quick 5), BENCH_KEEP_TMP=1 keeps logs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench/lib.sh
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

QUICK=${BENCH_QUICK:-}
if [[ -n $QUICK ]]; then
    CALLS=5000 HTTP_SECONDS=4 HTTP_ROUNDS=2 LAUNCHES=${BENCH_LAUNCHES:-5} TOKEN_ROUNDS=10 CONC_ROUNDS=4
else
    CALLS=20000 HTTP_SECONDS=8 HTTP_ROUNDS=3 LAUNCHES=${BENCH_LAUNCHES:-7} TOKEN_ROUNDS=30 CONC_ROUNDS=8
fi
CONNECTIONS=${BENCH_CONNECTIONS:-64}
ROWS=()
started=$SECONDS

# row METRIC VALUE BASELINE RATIO TARGET MET
row() { ROWS+=("$1|$2|$3|$4|$5|$6"); }
# met RATIO OP LIMIT -> yes/no (OP is >= or <=)
met() { awk -v r="$1" -v op="$2" -v l="$3" 'BEGIN { if (r == "nan" || r == "") { print "n/a"; exit } ok = (op == ">=") ? (r + 0 >= l + 0) : (r + 0 <= l + 0); print ok ? "yes" : "NO" }'; }
field() { sed -nE "s/.*$2[[:space:]]+([0-9.]+).*/\1/p" "$1" | head -1; } # field FILE REGEX-before-number

bench_log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(java -version 2>&1 | head -1)"

# ------------------------------------------------------------------ build
bench_ensure_wrk
bench_ensure_jar
bench_log "compiling tests and writing the classpaths"
bench_mvn test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
bench_mvn dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-runtime-classpath.txt
TEST_CP="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
RUN_CP=$(cat target/bench-runtime-classpath.txt)
mkdir -p target/bench/hello
javac -d target/bench/hello -cp "$RUN_CP" scripts/bench/HelloWorld.java

# ------------------------------------------------------------------ 1. components
bench_log "1/5 parse + prompt per call: $CALLS warm-up + $CALLS measured calls (interpreter: /50)"
comp="$BENCH_TMP/components.txt"
timeout 900 java -cp "$TEST_CP" io.github.crosswordhelper.bench.ComponentLatencyBenchmark "$CALLS" "$CALLS" >"$comp" 2>&1 \
    || { cat "$comp" >&2; bench_die "ComponentLatencyBenchmark failed"; }
grep -E 'COMPILED|INTERPRETED|median:' "$comp" | sed 's/^/    /' >&2
c_med=$(field "$comp" 'BUILD_TIME_COMPILED +median'); c_p99=$(sed -nE 's/^BUILD_TIME_COMPILED.*p99 +([0-9.]+).*/\1/p' "$comp")
i_med=$(field "$comp" 'INTERPRETED +median')
row "parse+prompt/call, compiled pool vs interpreter (median us)" "$c_med" "$i_med" \
    "$(bench_ratio "$c_med" "$i_med" 3)" "-" "-"
if command -v node >/dev/null; then
    v8="$BENCH_TMP/v8.txt"
    timeout 600 node scripts/bench/v8-components.mjs "$CALLS" "$CALLS" >"$v8" 2>&1 || { cat "$v8" >&2; bench_die "v8 bench failed"; }
    sed 's/^/    /' "$v8" >&2
    v_med=$(sed -nE 's/.*median +([0-9.]+).*/\1/p' "$v8"); v_p99=$(sed -nE 's/.*p99 +([0-9.]+).*/\1/p' "$v8")
    r=$(bench_ratio "$c_med" "$v_med")
    row "parse+prompt/call, Chicory compiled vs V8 (median us)" "$c_med" "$v_med" "$r" "<= 1.5" "$(met "$r" "<=" 1.5)"
    r=$(bench_ratio "$c_p99" "$v_p99")
    row "parse+prompt/call, Chicory compiled vs V8 (p99 us)" "$c_p99" "$v_p99" "$r" "-" "-"
else
    row "parse+prompt/call, Chicory compiled vs V8 (median us)" "$c_med" "no node" "n/a" "<= 1.5" "n/a"
fi

# ------------------------------------------------------------------ 2. HTTP throughput
bench_log "2/5 HTTP: parse vs /health, wrk -t2 -c$CONNECTIONS -d${HTTP_SECONDS}s x $HTTP_ROUNDS rounds each, alternating"
bench_start_service http CROSSWORD_BACKEND=thesaurus CROSSWORD_CACHE_ENABLED=false
bench_wait_ready "$SVC_PORT" 240
url="http://127.0.0.1:$SVC_PORT"
# Warm-up of both paths (uncounted): the JIT, the Wasm pools, Jetty's thread pool.
WRK_MODE=parse bench_wrk "$BENCH_TMP/warm-parse.wrk" -t2 -c"$CONNECTIONS" -d5s "$url/"
WRK_MODE=plain bench_wrk "$BENCH_TMP/warm-health.wrk" -t2 -c"$CONNECTIONS" -d3s "$url/health"
: >"$BENCH_TMP/rps-parse" >"$BENCH_TMP/rps-health" >"$BENCH_TMP/p99-parse" >"$BENCH_TMP/p99-health"
http_errors=0
for ((i = 0; i < HTTP_ROUNDS; i++)); do
    for what in health parse; do
        out="$BENCH_TMP/$what-$i.wrk"
        if [[ $what == parse ]]; then
            WRK_MODE=parse bench_wrk "$out" -t2 -c"$CONNECTIONS" -d"${HTTP_SECONDS}s" "$url/"
        else
            WRK_MODE=plain bench_wrk "$out" -t2 -c"$CONNECTIONS" -d"${HTTP_SECONDS}s" "$url/health"
        fi
        bench_field "$out" rps >>"$BENCH_TMP/rps-$what"
        bench_field "$out" p99_ms >>"$BENCH_TMP/p99-$what"
        http_errors=$((http_errors + $(bench_field "$out" non2xx) + $(bench_field "$out" connect) + $(bench_field "$out" read) + $(bench_field "$out" timeout)))
        bench_log "    $what round $i: $(grep '^RESULT' "$out" | cut -d' ' -f2-8)"
    done
done
warm_err=$(bench_field "$BENCH_TMP/warm-parse.wrk" non2xx)
bench_stop "$SVC_PID"
p_rps=$(bench_median <"$BENCH_TMP/rps-parse"); h_rps=$(bench_median <"$BENCH_TMP/rps-health")
p_p99=$(bench_median <"$BENCH_TMP/p99-parse"); h_p99=$(bench_median <"$BENCH_TMP/p99-health")
r=$(bench_ratio "$p_rps" "$h_rps")
row "HTTP POST /clues/parse vs GET /health (req/s, c=$CONNECTIONS)" "$p_rps" "$h_rps" "$r" ">= 0.8" "$(met "$r" ">=" 0.8)"
row "HTTP POST /clues/parse vs GET /health (p99 ms)" "$p_p99" "$h_p99" "$(bench_ratio "$p_p99" "$h_p99")" "-" "-"
row "HTTP errors in measured runs (warm-up parse non-2xx: $warm_err)" "$http_errors" "0" "-" "= 0" "$([[ $http_errors == 0 ]] && echo yes || echo NO)"

# ------------------------------------------------------------------ 3. cold start and idle RSS
bench_log "3/5 cold start: $LAUNCHES launches each of the service (classpath), hello world, and the fat jar, alternating"
# The start-up warm-up call runs under the Wasm call deadline (250 ms by default); on a busy machine it
# can miss it and the service refuses to start. The launches use a longer deadline (speed is unchanged).
COLD_CALL_TIMEOUT=${BENCH_COLD_CALL_TIMEOUT:-5s}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }
# launch KIND PORT -> sets L_PID. Same JVM, same flags; KIND service|hello|jar.
launch() {
    local kind=$1 port=$2 log="$BENCH_TMP/launch-$1.log"
    case $kind in
    service) env CROSSWORD_HOST=127.0.0.1 CROSSWORD_PORT="$port" CROSSWORD_BACKEND=thesaurus CROSSWORD_WASM_CALL_TIMEOUT="$COLD_CALL_TIMEOUT" \
                 java -cp "target/classes:$RUN_CP" io.github.crosswordhelper.server.Main >"$log" 2>&1 & ;;
    jar)     env CROSSWORD_HOST=127.0.0.1 CROSSWORD_PORT="$port" CROSSWORD_BACKEND=thesaurus CROSSWORD_WASM_CALL_TIMEOUT="$COLD_CALL_TIMEOUT" \
                 java -jar target/crossword-helper.jar >"$log" 2>&1 & ;;
    hello)   java -Dlogback.configurationFile=scripts/bench/logback-hello.xml -cp "target/bench/hello:$RUN_CP" \
                 HelloWorld "$port" >"$log" 2>&1 & ;;
    esac
    L_PID=$!
    BENCH_PIDS+=("$L_PID")
}
# first_200 KIND PORT T0 -> prints ms from T0 to the first 200 (polls every ~15 ms, at most 60 s).
first_200() {
    local kind=$1 port=$2 t0=$3 i code
    for ((i = 0; i < 4000; i++)); do
        if [[ $kind == hello ]]; then
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null || true)
        else
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H 'content-type: application/json' \
                -d '{"clue":"Bourne Identity star (4,5)"}' "http://127.0.0.1:$port/api/v1/clues/parse" 2>/dev/null || true)
        fi
        if [[ $code == 200 ]]; then echo $(($(now_ms) - t0)); return 0; fi
        kill -0 "$L_PID" 2>/dev/null || { tail -5 "$BENCH_TMP/launch-$kind.log" >&2; bench_log "$kind exited during start-up"; return 1; }
        (( $(now_ms) - t0 < 60000 )) || bench_die "$kind: no 200 within 60 s"
        sleep 0.015
    done
    bench_die "$kind: no 200"
}
: >"$BENCH_TMP/cold-service" >"$BENCH_TMP/cold-hello" >"$BENCH_TMP/cold-jar" >"$BENCH_TMP/rss-service" >"$BENCH_TMP/rss-hello"
for ((i = 0; i < LAUNCHES; i++)); do
    if ((i % 2)); then order="hello service jar"; else order="service jar hello"; fi
    for kind in $order; do
        port=$(free_port)
        t0=$(now_ms)
        launch "$kind" "$port"
        if ! ms=$(first_200 "$kind" "$port" "$t0"); then # killed from outside? one retry, then give up
            bench_stop "$L_PID"
            port=$(free_port)
            t0=$(now_ms)
            launch "$kind" "$port"
            ms=$(first_200 "$kind" "$port" "$t0") || bench_die "$kind exited during start-up twice"
        fi
        echo "$ms" >>"$BENCH_TMP/cold-$kind"
        rss=
        if ((i >= LAUNCHES - 2)) && [[ $kind != jar ]]; then # idle RSS on the last two launches
            [[ $kind == service ]] && bench_wait_ready "$port" 240
            sleep 5
            rss=$(bench_rss_kb "$L_PID")
            echo "$rss" >>"$BENCH_TMP/rss-$kind"
        fi
        bench_stop "$L_PID"
        bench_log "    launch $i $kind: first 200 after $ms ms${rss:+, idle RSS $((rss / 1024)) MiB}"
    done
done
s_ms=$(bench_median <"$BENCH_TMP/cold-service"); h_ms=$(bench_median <"$BENCH_TMP/cold-hello"); j_ms=$(bench_median <"$BENCH_TMP/cold-jar")
r=$(bench_ratio "$s_ms" "$h_ms")
row "cold start to first parsed clue vs hello world (ms)" "$s_ms" "$h_ms" "$r" "<= 1.3" "$(met "$r" "<=" 1.3)"
row "  same, service as fat jar (java -jar) (ms)" "$j_ms" "$h_ms" "$(bench_ratio "$j_ms" "$h_ms")" "-" "-"
s_rss=$(bench_median <"$BENCH_TMP/rss-service"); h_rss=$(bench_median <"$BENCH_TMP/rss-hello")
row "idle RSS after ready + 5 s vs hello world (MiB)" "$(awk -v k="$s_rss" 'BEGIN { printf "%.0f", k / 1024 }')" \
    "$(awk -v k="$h_rss" 'BEGIN { printf "%.0f", k / 1024 }')" "$(bench_ratio "$s_rss" "$h_rss")" "-" "-"

# ------------------------------------------------------------------ 4. local tokens/s
bench_log "4/5 local backend tokens/s vs LlamaModel.complete: $TOKEN_ROUNDS rounds, tiny model, 1 thread"
tok="$BENCH_TMP/tokens.txt"
timeout 900 java -cp "$TEST_CP" io.github.crosswordhelper.backend.llama.LocalTokensBenchmark "" "$TOKEN_ROUNDS" 1 >"$tok" 2>&1 \
    || { tail -20 "$tok" >&2; bench_die "LocalTokensBenchmark failed"; }
grep -E 'median|ratio' "$tok" | sed 's/^/    /' >&2
t_svc=$(sed -nE 's/^service .*median ([0-9.]+).*/\1/p' "$tok"); t_dir=$(sed -nE 's/^direct .*median ([0-9.]+).*/\1/p' "$tok")
r=$(bench_ratio "$t_svc" "$t_dir")
row "local tokens/s: suggest() vs LlamaModel.complete (tiny)" "$t_svc" "$t_dir" "$r" ">= 0.95" "$(met "$r" ">=" 0.95)"

# ------------------------------------------------------------------ 5. 4 concurrent vs sequential
bench_log "5/5 4 concurrent suggest() vs 4 sequential: $CONC_ROUNDS rounds, tiny model, 2 threads, 4 slots"
conc="$BENCH_TMP/concurrent.txt"
timeout 900 java -cp "$TEST_CP" io.github.crosswordhelper.backend.llama.ConcurrentLocalBenchmark "" "$CONC_ROUNDS" 2 4 >"$conc" 2>&1 \
    || { tail -20 "$conc" >&2; bench_die "ConcurrentLocalBenchmark failed"; }
grep -E 'median|ratio' "$conc" | sed 's/^/    /' >&2
k_seq=$(sed -nE 's/^sequential median ([0-9.]+).*/\1/p' "$conc"); k_con=$(sed -nE 's/^concurrent median ([0-9.]+).*/\1/p' "$conc")
k_r=$(sed -nE 's/^ratio .*: ([0-9.]+).*/\1/p' "$conc")
row "local 4 concurrent vs 4 sequential (tokens/s, tiny)" "$k_con" "$k_seq" "$k_r" ">= 1.5" "$(met "$k_r" ">=" 1.5)"

# ------------------------------------------------------------------ table
bench_log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); total $((SECONDS - started)) s"
echo
echo "crossword-helper benchmarks ($([[ -n $QUICK ]] && echo quick || echo full) run, $(nproc) cores, $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(date -u +%Y-%m-%dT%H:%MZ)); ratio = value / baseline"
{
    echo "metric|value|baseline|ratio|target|met?"
    echo "---|---|---|---|---|---"
    printf '%s\n' "${ROWS[@]}"
} | awk -F'|' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
    END { for (r = 1; r <= n; r++) { line = "|"; for (i = 1; i <= nf; i++) {
            v = c[r, i]; if (v ~ /^-+$/ && r == 2) { v = v; while (length(v) < w[i]) v = v "-" }
            line = line " " sprintf("%-" w[i] "s", v) " |" } print line } }'
