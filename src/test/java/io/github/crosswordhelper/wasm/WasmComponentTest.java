package io.github.crosswordhelper.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.ComponentException;
import io.github.crosswordhelper.ComponentTimeoutException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WasmComponentTest {

    static Path resource(String name) {
        try {
            return Path.of(WasmComponentTest.class.getResource("/hostile/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final WasmOptions FAST_DEADLINE =
            WasmOptions.builder().withPoolSize(2).withCallTimeout(Duration.ofMillis(100)).build();

    @ParameterizedTest
    @EnumSource(value = ExecutionMode.class, names = {"RUNTIME_COMPILED", "INTERPRETED"})
    void should_interrupt_a_looping_guest_at_its_deadline_and_keep_working(ExecutionMode mode) {
        try (WasmComponent loop = WasmComponent.fromFile(
                BuiltInComponent.CLUE_PARSER, resource("loop.wasm"), mode, FAST_DEADLINE, null)) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> loop.call("{\"clue\":\"x\"}"))
                        .isInstanceOf(ComponentTimeoutException.class)
                        .hasMessageContaining("deadline of 100 ms");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).as("interrupted promptly").isLessThan(5_000);
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag cleared").isFalse();
            }
        }
    }

    @Test
    void should_reject_a_component_without_its_post_return_export_at_load() {
        assertThatThrownBy(() -> WasmComponent.fromFile(BuiltInComponent.CLUE_PARSER,
                        resource("missing-post-return.wasm"), ExecutionMode.RUNTIME_COMPILED, FAST_DEADLINE, null))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("does not export function 'cabi_post_parse'");
    }

    @Test
    void should_pass_strings_through_the_canonical_abi() {
        try (WasmComponent echo = WasmComponent.fromFile(BuiltInComponent.CLUE_PARSER, resource("echo.wasm"),
                ExecutionMode.INTERPRETED, FAST_DEADLINE, null)) {
            String input = "{\"clue\":\"caf\u00e9 \u2603 \ud83e\udde9\"}";
            assertThat(echo.call(input)).isEqualTo(input);
        }
    }

    @Test
    void should_give_the_same_answers_from_many_threads_as_from_one() throws Exception {
        try (WasmComponent parser = WasmComponent.builtIn(BuiltInComponent.CLUE_PARSER,
                ExecutionMode.BUILD_TIME_COMPILED, WasmOptions.builder().withPoolSize(4).build(), null)) {
            List<String> inputs = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                inputs.add("{\"clue\":\"Clue number " + i + " (" + (i % 9 + 1) + "," + (i % 7 + 1) + ")\"}");
            }
            List<String> expected = inputs.stream().map(parser::call).toList();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        for (int round = 0; round < 50; round++) {
                            for (int i = 0; i < inputs.size(); i++) {
                                if (!parser.call(inputs.get(i)).equals(expected.get(i))) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Found by fuzzing: when {@code cabi_realloc} failed (0, the guest's "out of memory"), the host wrote the
     * argument at address 0 over the guest's own memory and called {@code parse(0, len)}; the parser then
     * answered "request is not a JSON object" for a valid request, and the instance went back to the pool.
     */
    @Test
    void should_refuse_an_argument_the_guest_cannot_allocate_instead_of_writing_it_at_address_0() {
        WasmOptions small = WasmOptions.builder()
                .withPoolSize(1)
                .withMaxMemoryPages(24)
                .withCallTimeout(Duration.ofSeconds(10))
                .build();
        try (WasmComponent parser = WasmComponent.builtIn(
                BuiltInComponent.CLUE_PARSER, ExecutionMode.BUILD_TIME_COMPILED, small, null)) {
            String good = "{\"clue\":\"Bourne Identity star (4,5)\"}";
            String expected = parser.call(good);
            // Fits in the memory the instance has (18 pages), not in its free heap under the 24-page cap.
            String big = "{\"clue\":\"" + "x".repeat(700 * 1024) + "\"}";
            assertThatThrownBy(() -> parser.call(big))
                    .isInstanceOf(ComponentException.class)
                    .hasMessage("clue-parser: cabi_realloc could not allocate " + big.length()
                            + " bytes for the argument (memory is limited to 24 pages)");
            assertThat(parser.call(good)).isEqualTo(expected);
        }
    }
}
