package io.github.crosswordhelper.bench;

import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.wasm.ExecutionMode;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-call latency of parse + prompt through the library, for each execution mode, in one JVM run so
 * the ratios share the machine's noise. Run with {@code scripts/bench-components.sh}.
 *
 * <p>Arguments: {@code [warmupCalls] [measuredCalls]}.
 */
public final class ComponentLatencyBenchmark {
    private static final List<ClueRequest> CLUES = List.of(
            ClueRequest.of("Bourne Identity star (4,5)"),
            ClueRequest.builder("Shade of pink").pattern("?????").build(),
            ClueRequest.of("Who were five actors in the movie Ocean's Eleven?"),
            ClueRequest.builder("Spy novel").pattern("b?urn? ?d?nt?ty").count(3).build(),
            ClueRequest.of("Large body of water (5)"),
            ClueRequest.of("See 17-Across"));

    private ComponentLatencyBenchmark() {}

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.printf(Locale.ROOT, "parse + prompt per call, %d warm-up calls, %d measured, Java %s%n",
                warmup, measured, System.getProperty("java.version"));
        double[] compiled = run(ExecutionMode.BUILD_TIME_COMPILED, warmup, measured);
        double[] runtime = run(ExecutionMode.RUNTIME_COMPILED, warmup, measured);
        // The interpreter is ~100x slower: fewer calls keep the run short without changing the median.
        double[] interpreted = run(ExecutionMode.INTERPRETED, Math.max(200, warmup / 50), Math.max(200, measured / 50));
        System.out.printf(Locale.ROOT, "interpreter / build-time compiled, median: %.1fx%n", interpreted[0] / compiled[0]);
        System.out.printf(Locale.ROOT, "runtime compiled / build-time compiled, median: %.2fx%n", runtime[0] / compiled[0]);
    }

    private static double[] run(ExecutionMode mode, int warmup, int measured) {
        // A long deadline: this measures speed; the interpreter's first calls take hundreds of ms.
        WasmOptions options = WasmOptions.builder().withCallTimeout(Duration.ofSeconds(30)).build();
        try (CrosswordHelper helper = CrosswordHelper.builder().builtInMode(mode).wasmOptions(options).build()) {
            for (int i = 0; i < warmup; i++) {
                once(helper, i);
            }
            long[] samples = new long[measured];
            for (int i = 0; i < measured; i++) {
                long start = System.nanoTime();
                once(helper, i);
                samples[i] = System.nanoTime() - start;
            }
            Arrays.sort(samples);
            double median = samples[measured / 2] / 1000.0;
            double p99 = samples[(int) Math.min(measured - 1, Math.ceil(measured * 0.99) - 1)] / 1000.0;
            System.out.printf(Locale.ROOT, "%-20s median %8.1f us   p99 %8.1f us   (n=%d)%n", mode, median, p99, measured);
            return new double[] {median, p99};
        }
    }

    private static void once(CrosswordHelper helper, int i) {
        ParsedClue clue = helper.parse(CLUES.get(i % CLUES.size()));
        if (helper.prompt(clue).grammar().isEmpty()) {
            throw new AssertionError("empty grammar");
        }
    }
}
