package io.github.crosswordhelper.backend.llama;

import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.SuggestResponse;
import io.github.crosswordhelper.tools.TinyModelGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@code width} concurrent {@code suggest()} calls on the local backend against the same
 * {@code width} calls one at a time, on one loaded model in one JVM, alternating round by round so both see
 * the same machine noise. The same seeds run in both modes and the cache is off, so both do the same work;
 * throughput is counted in generated tokens per second (and answers per second, printed too).
 * Run with {@code scripts/bench.sh}, or directly:
 * {@code java -cp ... io.github.crosswordhelper.backend.llama.ConcurrentLocalBenchmark [MODEL.gguf] [rounds] [threads] [width]}.
 */
public final class ConcurrentLocalBenchmark {
    private ConcurrentLocalBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path model;
        if (args.length > 0 && !args[0].isEmpty()) {
            model = Path.of(args[0]);
        } else {
            model = Path.of("target", "tiny-llama", "bench-concurrent.gguf");
            TinyModelGenerator.write(model, 7);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int width = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path natives = Files.createTempDirectory("bench-llama-natives");
        LlamaCppBackend backend = new LlamaCppBackend("local",
                new LlamaConfig(model.toAbsolutePath(), threads, 4096, width, width, natives));
        if (!backend.awaitReady(Duration.ofMinutes(5))) {
            throw new IllegalStateException("model failed to load: " + backend.failure());
        }
        TokenCountingBackend counting = new TokenCountingBackend(backend);
        ExecutorService pool = Executors.newFixedThreadPool(width);
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(counting).defaultBackend("local")
                .cache(0, Duration.ofSeconds(1)).requestTimeout(Duration.ofMinutes(5)).build()) {
            // WordNet loads in the background in every helper: let it finish so it does not eat the cores.
            if (!helper.awaitReady(Duration.ofMinutes(5))) {
                throw new IllegalStateException("backends not ready");
            }
            double[] seqTps = new double[rounds];
            double[] conTps = new double[rounds];
            double[] seqAps = new double[rounds];
            double[] conAps = new double[rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                List<ClueRequest> batch = new ArrayList<>();
                for (int k = 0; k < width; k++) {
                    batch.add(ClueRequest.builder("Shade of pink (6)").count(20).seed(5000L + 16L * (r + 2) + k).build());
                }
                boolean concurrentFirst = (r & 1) == 0; // alternate the order within a round too
                double[] a = concurrentFirst ? concurrent(helper, pool, batch, counting) : sequential(helper, batch, counting);
                double[] b = concurrentFirst ? sequential(helper, batch, counting) : concurrent(helper, pool, batch, counting);
                double[] con = concurrentFirst ? a : b;
                double[] seq = concurrentFirst ? b : a;
                if (r >= 0) {
                    seqTps[r] = seq[0];
                    seqAps[r] = seq[1];
                    conTps[r] = con[0];
                    conAps[r] = con[1];
                }
            }
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ratios[i] = conTps[i] / seqTps[i];
            }
            System.out.printf(Locale.ROOT, "model %s, %d thread(s), %d slots, %d rounds of %d requests (20 answers each)%n",
                    model.getFileName(), threads, width, rounds, width);
            System.out.printf(Locale.ROOT, "sequential median %.1f tokens/s  %.1f answers/s%n", median(seqTps), median(seqAps));
            System.out.printf(Locale.ROOT, "concurrent median %.1f tokens/s  %.1f answers/s%n", median(conTps), median(conAps));
            System.out.printf(Locale.ROOT, "ratio concurrent / sequential (median of per-round ratios): %.2f%n", median(ratios));
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        // java-llama.cpp leaves a non-daemon native thread behind.
        System.exit(0);
    }

    /** Returns {tokens/s, answers/s}. */
    private static double[] sequential(CrosswordHelper helper, List<ClueRequest> batch, TokenCountingBackend tokens) {
        tokens.reset();
        long answers = 0;
        long t0 = System.nanoTime();
        for (ClueRequest request : batch) {
            answers += helper.suggest(request).suggestions().size();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new double[] {tokens.tokens() / s, answers / s};
    }

    private static double[] concurrent(CrosswordHelper helper, ExecutorService pool, List<ClueRequest> batch,
            TokenCountingBackend tokens) throws Exception {
        tokens.reset();
        long t0 = System.nanoTime();
        List<Future<SuggestResponse>> futures = new ArrayList<>();
        for (ClueRequest request : batch) {
            futures.add(pool.submit(() -> helper.suggest(request)));
        }
        long answers = 0;
        for (Future<SuggestResponse> f : futures) {
            answers += f.get(5, TimeUnit.MINUTES).suggestions().size();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new double[] {tokens.tokens() / s, answers / s};
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
