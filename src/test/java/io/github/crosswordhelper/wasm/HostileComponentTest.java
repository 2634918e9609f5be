package io.github.crosswordhelper.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.ComponentException;
import io.github.crosswordhelper.ComponentTimeoutException;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.http.HttpApi;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile user components ({@code src/test/resources/hostile/*.wat}, built by {@code scripts/build-hostile.sh}):
 * each is rejected with its own precise error, at load time when the interface is wrong and on the call
 * otherwise; a looping guest is stopped at its deadline, a greedy one at its memory cap; every failed call
 * discards its instance, so the next call on the same component starts fresh; and a server with the built-in
 * components keeps answering while hostile components fail next to it.
 */
class HostileComponentTest {

    static final WasmOptions OPTIONS = WasmOptions.builder()
            .withPoolSize(2)
            .withCallTimeout(Duration.ofMillis(200))
            .withMaxMemoryPages(64)
            .build();

    private static final String CLUE = "{\"clue\":\"Bourne Identity star (4,5)\",\"pattern\":null,\"count\":null}";

    static Path hostile(String name) {
        return WasmComponentTest.resource(name);
    }

    /** Components that load but fail every call: file, exception type, the message it must carry. */
    static Stream<Arguments> failingCalls() {
        return Stream.of(
                Arguments.of("loop.wasm", ComponentTimeoutException.class,
                        "call exceeded its deadline of 200 ms and was interrupted"),
                Arguments.of("grow.wasm", ComponentException.class,
                        "trapped: out of bounds memory access: attempted to access address: 4194304 but limit is: 4194304"),
                Arguments.of("trap.wasm", ComponentException.class, "trapped: Trapped on unreachable instruction"),
                Arguments.of("recursion.wasm", ComponentException.class, "trapped: call stack exhausted"),
                Arguments.of("oob-pointer.wasm", ComponentException.class,
                        "parse returned a string [4294967280, +100) outside its 65536-byte memory"),
                Arguments.of("oob-length.wasm", ComponentException.class,
                        "returned a result of 2147483632 bytes, more than the limit of 1048576"),
                Arguments.of("oob-negative-length.wasm", ComponentException.class,
                        "returned a result of 4294967280 bytes, more than the limit of 1048576"),
                Arguments.of("oob-return-area.wasm", ComponentException.class,
                        "parse returned a return area [4294967292, +8) outside its 65536-byte memory"),
                Arguments.of("bad-utf8.wasm", ComponentException.class, "returned a string that is not valid UTF-8"),
                Arguments.of("realloc-null.wasm", ComponentException.class,
                        "cabi_realloc could not allocate " + CLUE.length() + " bytes for the argument (memory is limited to 64 pages)"));
    }

    /** Components whose interface is wrong: they never get an instance. */
    static Stream<Arguments> rejectedAtLoad() {
        return Stream.of(
                Arguments.of("missing-export.wasm", "does not export function 'parse'"),
                Arguments.of("missing-memory.wasm", "does not export memory 'memory'"),
                Arguments.of("missing-post-return.wasm", "does not export function 'cabi_post_parse'"),
                Arguments.of("wrong-signature.wasm", "export 'parse' has type [I32] -> [I32], expected [I32, I32] -> [I32]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingCalls")
    void should_fail_each_call_with_its_own_error_and_start_the_next_one_fresh(
            String file, Class<? extends ComponentException> type, String message) {
        for (ExecutionMode mode : List.of(ExecutionMode.RUNTIME_COMPILED, ExecutionMode.INTERPRETED)) {
            try (WasmComponent component =
                    WasmComponent.fromFile(BuiltInComponent.CLUE_PARSER, hostile(file), mode, OPTIONS, null)) {
                // More calls than pooled instances: a failed instance is never reused, a fresh one takes its place.
                for (int i = 0; i < 2 * OPTIONS.poolSize() + 1; i++) {
                    long start = System.nanoTime();
                    Throwable thrown = catchAll(() -> component.call(CLUE));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(thrown).as("%s in %s, call %d", file, mode, i)
                            .isInstanceOf(type)
                            .hasMessageStartingWith("clue-parser (" + hostile(file) + "): ")
                            .hasMessageContaining(message);
                    assertThat(millis).as("%s in %s: failed within the deadline plus slack", file, mode).isLessThan(2_000);
                    assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag cleared").isFalse();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedAtLoad")
    void should_reject_a_component_with_a_wrong_interface_when_it_is_loaded(String file, String message) {
        assertThatThrownBy(() -> WasmComponent.fromFile(
                        BuiltInComponent.CLUE_PARSER, hostile(file), ExecutionMode.RUNTIME_COMPILED, OPTIONS, null))
                .isInstanceOf(ComponentException.class)
                .hasMessage("clue-parser (" + hostile(file) + "): " + message);
    }

    /** The builder warms every component up with a real clue, so a hostile parser never gets to serve. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyHostileFile")
    void should_refuse_to_build_a_helper_around_a_hostile_parser(String file, String message) {
        long start = System.nanoTime();
        Throwable thrown = catchAll(() -> CrosswordHelper.builder()
                .backend(new ThesaurusBackend(false))
                .clueParserWasm(hostile(file))
                .wasmOptions(OPTIONS)
                .build()
                .close());
        assertThat(thrown).as(file).isInstanceOf(ComponentException.class).hasMessageContaining(message);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("%s refused promptly", file)
                .isLessThan(Duration.ofSeconds(10));
    }

    static Stream<Arguments> everyHostileFile() {
        List<Arguments> all = new ArrayList<>();
        failingCalls().forEach(a -> {
            Object[] v = a.get();
            // The warm-up runs with a deadline of at least 2 s (WasmComponent.WARM_UP_TIMEOUT), not 200 ms.
            String message = v[0].equals("loop.wasm") ? "exceeded its deadline" : (String) v[2];
            if (v[0].equals("realloc-null.wasm")) {
                message = "cabi_realloc could not allocate";
            }
            all.add(Arguments.of(v[0], message));
        });
        rejectedAtLoad().forEach(all::add);
        // Valid interface, wrong contract: it echoes the request, which is no parse result.
        all.add(Arguments.of("echo.wasm", "returned a parse result that breaks the contract"));
        return all.stream();
    }

    @Test
    void should_cap_the_memory_of_a_greedy_guest_and_never_exhaust_the_host() {
        try (WasmComponent grow = WasmComponent.fromFile(
                BuiltInComponent.CLUE_PARSER, hostile("grow.wasm"), ExecutionMode.RUNTIME_COMPILED, OPTIONS, null)) {
            // "c...": grow until refused, then report memory.size: the cap, 64 pages (4 MiB).
            assertThat(grow.call("count")).isEqualTo("64");
            // Anything else: grow until refused, then store past the end.
            assertThatThrownBy(() -> grow.call(CLUE))
                    .isInstanceOf(ComponentException.class)
                    .hasMessageContaining("trapped: ")
                    .hasMessageContaining("out of bounds");
            // A fresh instance: it starts from its declared single page again and hits the same cap.
            assertThat(grow.call("count")).isEqualTo("64");
            for (int i = 0; i < 50; i++) {
                Throwable thrown = catchAll(() -> grow.call(CLUE));
                assertThat(thrown).isInstanceOf(ComponentException.class).isNotInstanceOf(OutOfMemoryError.class);
            }
        }
        WasmOptions oneGiB = OPTIONS.toBuilder().withMaxMemoryPages(16_384).withCallTimeout(Duration.ofSeconds(5)).build();
        try (WasmComponent grow = WasmComponent.fromFile(
                BuiltInComponent.CLUE_PARSER, hostile("grow.wasm"), ExecutionMode.RUNTIME_COMPILED, oneGiB, null)) {
            // The cap is what the options say, not what the module asks for (it declares no maximum).
            assertThat(grow.call("count")).isEqualTo("16384");
        } catch (ComponentException e) {
            // A JVM without a spare GiB of heap may refuse the growth; it must still be a clean component error.
            assertThat(e).hasMessageContaining("grow.wasm");
        }
    }

    @Test
    void should_keep_serving_health_and_parse_while_hostile_components_fail_next_to_it() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<WasmComponent> hostiles = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(new ThesaurusBackend(false)).build()) {
            Javalin app = HttpApi.create(helper).start("127.0.0.1", 0);
            try {
                for (String file : List.of("loop.wasm", "grow.wasm", "trap.wasm", "recursion.wasm")) {
                    hostiles.add(WasmComponent.fromFile(
                            BuiltInComponent.CLUE_PARSER, hostile(file), ExecutionMode.RUNTIME_COMPILED, OPTIONS, null));
                }
                assertOk(client, "http://127.0.0.1:" + app.port(), "before the attack");
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger failures = new AtomicInteger();
                List<Future<?>> attackers = new ArrayList<>();
                for (WasmComponent h : hostiles) {
                    attackers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            try {
                                h.call(CLUE);
                            } catch (ComponentException expected) {
                                failures.incrementAndGet();
                            }
                        }
                    }));
                }
                String base = "http://127.0.0.1:" + app.port();
                long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                int answered = 0;
                long slowest = 0;
                // At least 2 s and 5 rounds under attack (the attackers keep both cores of a small CI machine busy).
                while (System.nanoTime() < until || answered < 5) {
                    long start = System.nanoTime();
                    assertOk(client, base, "during the attack");
                    slowest = Math.max(slowest, System.nanoTime() - start);
                    answered++;
                }
                stop.set(true);
                for (Future<?> f : attackers) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(failures.get()).as("hostile calls failed cleanly").isGreaterThan(4);
                assertThat(Duration.ofNanos(slowest)).as("slowest /health + parse round").isLessThan(Duration.ofSeconds(5));
                assertOk(client, base, "after");
            } finally {
                app.stop();
            }
        } finally {
            pool.shutdownNow();
            hostiles.forEach(WasmComponent::close);
        }
    }

    private static void assertOk(HttpClient client, String base, String when) throws Exception {
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("/health %s", when).isEqualTo(200);
        HttpResponse<String> parse = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/clues/parse"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"clue\":\"Bourne Identity star (4,5)\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(parse.statusCode()).as("parse %s: %s", when, parse.body()).isEqualTo(200);
        assertThat(parse.body()).contains("\"enumeration\":[4,5]");
    }

    private static Throwable catchAll(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
