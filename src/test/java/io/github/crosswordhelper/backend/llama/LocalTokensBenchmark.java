package io.github.crosswordhelper.backend.llama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import io.github.crosswordhelper.ChatMessage;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.tools.TinyModelGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tokens per second through the service's local backend (the facade: parse, prompt, backend, filter) and
 * through {@code LlamaModel.complete} on the same loaded model, in the same JVM, alternating so both see
 * the same machine noise. Run with {@code scripts/bench-local.sh [MODEL.gguf] [rounds] [threads]}.
 */
public final class LocalTokensBenchmark {
    private LocalTokensBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path model;
        if (args.length > 0 && !args[0].isEmpty()) {
            model = Path.of(args[0]);
        } else {
            model = Path.of("target", "tiny-llama", "bench.gguf");
            TinyModelGenerator.write(model, 7);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path natives = Files.createTempDirectory("bench-llama-natives");
        LlamaCppBackend backend = new LlamaCppBackend("local", new LlamaConfig(model, threads, 4096, 4, 4, natives));
        if (!backend.awaitReady(Duration.ofMinutes(10))) {
            throw new IllegalStateException("model failed to load: " + backend.failure());
        }
        TokenCountingBackend counting = new TokenCountingBackend(backend);
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(counting).defaultBackend("local")
                .requestTimeout(Duration.ofMinutes(10)).build()) {
            ClueRequest request = ClueRequest.builder("Shade of pink (6)").count(20).build();
            ParsedClue clue = helper.parse(request);
            Prompt prompt = helper.prompt(clue);
            LlamaModel direct = backend.nativeModel();
            List<Pair<String, String>> turns = new ArrayList<>();
            String system = "";
            for (ChatMessage m : prompt.messages()) {
                if (m.role().equals("system")) {
                    system = m.content();
                } else {
                    turns.add(new Pair<>(m.role(), m.content()));
                }
            }
            String rendered = direct.applyTemplate(new InferenceParameters("").setMessages(system, turns));
            double[] service = new double[rounds];
            double[] raw = new double[rounds];
            for (int i = -3; i < rounds; i++) { // three warm-up rounds
                long seed = 1000 + i;
                counting.reset();
                long t0 = System.nanoTime();
                helper.suggest(ClueRequest.builder("Shade of pink (6)").count(20).seed(seed).build());
                long t1 = System.nanoTime();
                long serviceTokens = counting.tokens();
                String text = direct.complete(new InferenceParameters(rendered)
                        .setGrammar(prompt.grammar())
                        .setNPredict(prompt.parameters().maxTokens())
                        .setTemperature((float) prompt.parameters().temperature())
                        .setStopStrings(prompt.parameters().stop().toArray(new String[0]))
                        .setSeed((int) seed));
                long t2 = System.nanoTime();
                int directTokens = direct.encode(text).length;
                if (i >= 0) {
                    service[i] = serviceTokens / ((t1 - t0) / 1e9);
                    raw[i] = directTokens / ((t2 - t1) / 1e9);
                }
            }
            Arrays.sort(service);
            Arrays.sort(raw);
            double s = service[rounds / 2];
            double d = raw[rounds / 2];
            System.out.printf(Locale.ROOT, "model %s, %d thread(s), %d rounds of 20 answers for \"Shade of pink (6)\"%n",
                    model.getFileName(), threads, rounds);
            System.out.printf(Locale.ROOT, "service (suggest, local backend) median %.1f tokens/s%n", s);
            System.out.printf(Locale.ROOT, "direct LlamaModel.complete      median %.1f tokens/s%n", d);
            System.out.printf(Locale.ROOT, "ratio service / direct: %.2f%n", s / d);
        }
        // java-llama.cpp leaves a non-daemon native thread behind.
        System.exit(0);
    }
}
