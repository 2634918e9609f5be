package io.github.crosswordhelper.backend.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.ChatMessage;
import io.github.crosswordhelper.ClueKind;
import io.github.crosswordhelper.GenerationParameters;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.tools.TinyModelGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real JNI path against a tiny random model generated on the fly. One model per JVM: every test shares
 * the backend made in {@link #load()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LlamaCppBackendTest {

    static final String TWO_S_WORDS = "root ::= answer \"\\n\" answer \"\\n\"\nanswer ::= \"S\" [A-Z]{5}\n";
    static final String LONG = "root ::= [A-Z]{300}\n";

    @TempDir
    static Path dir;

    static LlamaCppBackend backend;

    @BeforeAll
    static void load() {
        backend = TinyLlama.backend();
    }

    static BackendRequest request(String grammar, int maxTokens, OptionalLong seed, Instant deadline,
            String clue) {
        ParsedClue parsed = new ParsedClue(clue, List.of(6), 6, "S?????", 2, ClueKind.DEFINITION, List.of());
        Prompt prompt = new Prompt(
                List.of(new ChatMessage("system", "You solve crossword clues. Answer in capitals, one per line."),
                        new ChatMessage("user", "Clue: " + clue + " (6)")),
                "[INST] Clue: " + clue + " (6) [/INST]", grammar,
                new GenerationParameters(maxTokens, List.of(), 0.8), "{}");
        return new BackendRequest(parsed, prompt, Set.of(), seed, deadline);
    }

    static BackendRequest request(long seed) {
        return request(TWO_S_WORDS, 40, OptionalLong.of(seed), Instant.now().plusSeconds(20), "Star");
    }

    /** Collects the streamed text. */
    static final class Collector implements BackendListener {
        final StringBuilder text = new StringBuilder();
        final AtomicInteger tokens = new AtomicInteger();
        final CountDownLatch firstText = new CountDownLatch(1);

        @Override
        public void onText(String delta) {
            text.append(delta);
            firstText.countDown();
        }

        @Override
        public void onCandidate(String answer, double score, String source) {
            throw new AssertionError("llama backend does not make candidates");
        }

        @Override
        public void onTokens(int generated) {
            assertThat(generated).isEqualTo(tokens.get() + 1); // a running count
            tokens.set(generated);
        }
    }

    static String run(BackendRequest r) {
        Collector c = new Collector();
        backend.generate(r, c);
        return c.text.toString();
    }

    static void awaitIdle() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backend.inFlight() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(backend.inFlight()).as("requests still in flight").isZero();
    }

    @Test
    void identifiesItself() {
        assertThat(backend.name()).isEqualTo("local");
        assertThat(backend.model()).isEqualTo("tiny.gguf");
        assertThat(backend.isReady()).isTrue();
        assertThat(backend.capacity()).isEqualTo(8);
    }

    @Test
    void grammarConstrainedAnswersFitOverTwentySeeds() {
        for (long seed = 0; seed < 20; seed++) {
            Collector c = new Collector();
            backend.generate(request(seed), c);
            assertThat(c.text.toString()).as("seed %d", seed).matches("S[A-Z]{5}\nS[A-Z]{5}\n");
            assertThat(c.tokens.get()).as("token count, seed %d", seed).isBetween(7, 14);
        }
    }

    @Test
    void sameSeedGivesSameOutput() {
        String first = run(request(123));
        assertThat(run(request(123))).isEqualTo(first);
        assertThat(run(request(-5L))).isEqualTo(run(request(-5L)));
    }

    @Test
    void eightConcurrentRequestsComplete() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long seed = i;
                results.add(pool.submit(() -> run(request(seed))));
            }
            for (Future<String> f : results) {
                assertThat(f.get(20, TimeUnit.SECONDS)).matches("S[A-Z]{5}\nS[A-Z]{5}\n");
            }
        } finally {
            pool.shutdownNow();
        }
        awaitIdle();
    }

    @Test
    void overflowIsRefusedAtOnceAndInterruptStopsTheRest() throws Exception {
        awaitIdle();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < backend.capacity(); i++) {
            long seed = i;
            Thread t = new Thread(() -> {
                try {
                    run(request(LONG, 300, OptionalLong.of(seed), Instant.now().plusSeconds(30), "Long"));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (backend.inFlight() < backend.capacity() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(backend.inFlight()).isEqualTo(backend.capacity());

        long start = System.nanoTime();
        assertThatThrownBy(() -> run(request(7)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("queue is full (8 in flight)")
                .satisfies(e -> assertThat(((BackendUnavailableException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));

        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
        // each either finished before the interrupt or stopped with "interrupted"
        assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(BackendException.class)
                .hasMessageContaining("interrupted"));
        awaitIdle();
        assertThat(run(request(1))).matches("S[A-Z]{5}\nS[A-Z]{5}\n");
    }

    @Test
    void interruptStopsGenerationPromptly() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Collector c = new Collector();
        Thread t = new Thread(() -> {
            try {
                backend.generate(request(LONG, 300, OptionalLong.of(3), Instant.now().plusSeconds(30), "Long"), c);
            } catch (Throwable e) {
                error.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        assertThat(c.firstText.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        t.interrupt();
        t.join(2_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(error.get()).isInstanceOf(BackendException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(c.text.length()).isLessThan(300);
        awaitIdle();
    }

    @Test
    void deadlineStopsGeneration() throws Exception {
        Collector c = new Collector();
        long start = System.nanoTime();
        assertThatThrownBy(() -> backend.generate(
                request(LONG, 300, OptionalLong.of(4), Instant.now().plusMillis(40), "Long"), c))
                .isInstanceOf(BackendTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(c.text.length()).isLessThan(300);
        awaitIdle();

        assertThatThrownBy(() -> run(request(TWO_S_WORDS, 40, OptionalLong.empty(), Instant.now().minusSeconds(1),
                "Late"))).isInstanceOf(BackendTimeoutException.class);
    }

    @Test
    void invalidGrammarIsRefusedBeforeNativeCode() {
        for (String bad : List.of("root ::= (((", "answer ::= \"S\"", "root ::= answer", "root ::= \"S",
                "root ::= [A-Z", "root ::= * \"a\"", "root_x ::= \"a\"", "root ::= \"\u00c9\"",
                "root ::= \"a\"\n  | \"b\"", "root ::= \"a\"\nroot ::= \"b\"", "root ::= \"\\q\"", "")) {
            assertThatThrownBy(() -> run(request(bad, 40, OptionalLong.of(1), Instant.now().plusSeconds(5), "X")))
                    .as("grammar %s", bad)
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("grammar");
        }
        for (String good : List.of(TWO_S_WORDS, "root ::= (\"A\" | \"B\")+ \"\\n\"",
                "# comment\nroot ::= w (\"\\n\" w){0,4} \"\\n\"\nw ::= [A-Z]{3,8} | \"X\"\n",
                "root ::= ( \"A\" |\n  \"B\" )\n", "root ::=\n  [^\\n\\x00]{1,5}\n")) {
            GbnfCheck.validate(good);
        }
    }

    @Test
    void anyPromptTextIsSafe() {
        String nasty = "Caf\u00e9 \uD83D\uDE00 \u6f22\u5b57 na\u00efve \u0416 \u0000\u0001\u0007\r\n\u001b[31m "
                + "</s><s><|im_end|> \uD800 \u0085";
        assertThat(run(request(TWO_S_WORDS, 40, OptionalLong.of(9), Instant.now().plusSeconds(20), nasty)))
                .matches("S[A-Z]{5}\nS[A-Z]{5}\n");
        assertThat(PromptText.cleanContent(nasty)).doesNotContain("\u0000", "\u0001", "\u001b", "\r", "\u0085",
                "\uD83D", "\uD800", "</s>", "<s>", "<|").contains("Caf\u00e9", "\u6f22\u5b57", "\uFFFD", "\n");
        String tooLong = "x".repeat(LlamaCppBackend.MAX_PROMPT_CHARS + 1);
        assertThatThrownBy(() -> run(request(TWO_S_WORDS, 40, OptionalLong.of(9), Instant.now().plusSeconds(5),
                tooLong))).isInstanceOf(BackendException.class).hasMessageContaining("too long");
    }

    @Test
    void secondModelInTheSameJvmIsRefused() {
        assertThatThrownBy(() -> new LlamaCppBackend(
                new LlamaConfig(TinyLlama.MODEL, 2, 2048, 4, 4, dir.resolve("native2"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already loaded");
    }

    @Test
    void generatorIsDeterministic() throws Exception {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        TinyModelGenerator.write(a, 99);
        TinyModelGenerator.write(b, 99);
        TinyModelGenerator.write(c, 100);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b)).isNotEqualTo(Files.readAllBytes(c));
        assertThat(Files.size(a)).isBetween(400_000L, 700_000L);
    }
}
