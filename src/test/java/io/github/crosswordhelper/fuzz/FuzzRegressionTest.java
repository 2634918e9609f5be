package io.github.crosswordhelper.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.wasm.BuiltInComponent;
import io.github.crosswordhelper.wasm.ExecutionMode;
import io.github.crosswordhelper.wasm.WasmComponent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every input in {@code src/test/resources/fuzz-regressions/} against the same invariants as
 * {@link ComponentFuzzTest}:
 * <ul>
 *   <li>{@code *.parse.json}: the exact document sent to the clue parser. Its answer is a success or an error
 *       document, every success is accepted by the prompt builder, and when the document is a plain
 *       {@code {"clue","pattern"?,"count"?}} request it also goes through the facade (fixed point, prompt).</li>
 *   <li>{@code *.build.json}: the exact document sent to the prompt builder.</li>
 * </ul>
 * Add a file whenever the fuzzer finds a bug; the name says what it was.
 */
class FuzzRegressionTest {

    private static WasmComponent parser;
    private static WasmComponent builder;
    private static CrosswordHelper helper;

    @BeforeAll
    static void load() {
        parser = WasmComponent.builtIn(
                BuiltInComponent.CLUE_PARSER, ExecutionMode.BUILD_TIME_COMPILED, ComponentFuzzTest.OPTIONS, null);
        builder = WasmComponent.builtIn(
                BuiltInComponent.PROMPT_BUILDER, ExecutionMode.BUILD_TIME_COMPILED, ComponentFuzzTest.OPTIONS, null);
        helper = CrosswordHelper.builder()
                .backend(new ThesaurusBackend(false))
                .wasmOptions(ComponentFuzzTest.OPTIONS)
                .build();
    }

    @AfterAll
    static void close() {
        helper.close();
        parser.close();
        builder.close();
    }

    static Path directory() {
        try {
            return Path.of(FuzzRegressionTest.class.getResource("/fuzz-regressions").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> inputs() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void should_have_regression_inputs() throws IOException {
        assertThat(inputs()).isNotEmpty().allMatch(n -> n.endsWith(".parse.json") || n.endsWith(".build.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void should_still_hold_for(String file) throws IOException {
        String input = Files.readString(directory().resolve(file), StandardCharsets.UTF_8).strip();
        if (file.endsWith(".build.json")) {
            FuzzChecks.checkBuildOutput(builder.call(input), input);
            return;
        }
        String out = parser.call(input);
        if (FuzzChecks.checkParseOutput(out, input)) {
            assertThat(FuzzChecks.checkBuildOutput(builder.call(out), out)).as("builder accepts %s", out).isTrue();
        }
        ClueRequest request = asRequest(input);
        if (request != null) {
            FuzzChecks.checkFacade(helper, request);
        }
    }

    /** The request a document stands for, or {@code null} when it is not a plain well-typed one. */
    private static ClueRequest asRequest(String input) {
        JsonNode node;
        try {
            node = io.github.crosswordhelper.internal.ComponentCodec.MAPPER.readTree(input);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("clue").isTextual()) {
            return null;
        }
        JsonNode pattern = node.path("pattern");
        JsonNode count = node.path("count");
        if (!(pattern.isMissingNode() || pattern.isNull() || pattern.isTextual())
                || !(count.isMissingNode() || count.isNull() || count.canConvertToExactIntegral() && count.isInt())) {
            return null;
        }
        return FuzzChecks.request(node.get("clue").textValue(), pattern.isTextual() ? pattern.textValue() : null,
                count.isInt() ? count.intValue() : null);
    }
}
