package io.github.crosswordhelper.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.wasm.BuiltInComponent;
import io.github.crosswordhelper.wasm.ExecutionMode;
import io.github.crosswordhelper.wasm.WasmComponent;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of both built-in components through the real Chicory host ({@link WasmComponent}) and
 * through the facade ({@link CrosswordHelper}).
 *
 * <p>Each property runs {@code -Dfuzz.tries} inputs (default {@value FuzzBudget#DEFAULT_TRIES}; see
 * {@link FuzzBudget}), and prints the count and rate. Long run:
 * {@code ./mvnw test -Dtest=ComponentFuzzTest -Dfuzz.tries=1000000}. Replay a failure with the printed seed:
 * {@code -Dfuzz.seed=<seed>}. Inputs that found bugs are kept in {@code src/test/resources/fuzz-regressions/}
 * and replayed by {@link FuzzRegressionTest} on every build.
 *
 * <p>Raw invalid UTF-8 cannot reach the guest from here ({@link WasmComponent#call} takes a {@code String}, and
 * the HTTP layer rejects invalid UTF-8 before the facade); the crates' native tests fuzz that path.
 */
@AddLifecycleHook(FuzzBudget.class)
class ComponentFuzzTest {

    /** A generous deadline: the fuzzer looks for traps and wrong answers, not for a slow shared CI machine. */
    static final WasmOptions OPTIONS =
            WasmOptions.builder().withPoolSize(2).withCallTimeout(Duration.ofSeconds(10)).build();

    private static WasmComponent parser;
    private static WasmComponent builder;
    private static CrosswordHelper helper;

    @BeforeContainer
    static void load() {
        parser = WasmComponent.builtIn(BuiltInComponent.CLUE_PARSER, ExecutionMode.BUILD_TIME_COMPILED, OPTIONS, null);
        builder = WasmComponent.builtIn(BuiltInComponent.PROMPT_BUILDER, ExecutionMode.BUILD_TIME_COMPILED, OPTIONS, null);
        // An unstarted thesaurus: the facade then loads no WordNet, and the Wasm path is all that runs.
        helper = CrosswordHelper.builder().backend(new ThesaurusBackend(false)).wasmOptions(OPTIONS).build();
    }

    @AfterContainer
    static void close() {
        helper.close();
        parser.close();
        builder.close();
    }

    @Provide
    Arbitrary<String> rawParseRequests() {
        return FuzzInputs.rawParseRequest();
    }

    @Provide
    Arbitrary<String> rawBuildRequests() {
        return FuzzInputs.rawBuildRequest();
    }

    @Provide
    Arbitrary<ClueRequest> clueRequests() {
        Arbitrary<ClueRequest> random = Combinators.combine(FuzzInputs.clue(), FuzzInputs.pattern(), FuzzInputs.count())
                .as(FuzzChecks::request);
        Arbitrary<ClueRequest> coherent = Combinators.combine(FuzzInputs.coherentClueAndPattern(), FuzzInputs.count())
                .as((cp, n) -> FuzzChecks.request(cp[0], cp[1], n));
        return Arbitraries.frequencyOf(Tuple.of(3, random), Tuple.of(1, coherent));
    }

    /**
     * The parser, fed raw request documents (valid, odd-typed, deeply nested, broken): it never traps, and
     * answers either the seven-field success object (fields in order, text collapsed, lengths consistent) or
     * exactly {@code {"error":{"field","detail"}}}. Every success is also accepted by the prompt builder.
     */
    @Property(shrinking = ShrinkingMode.BOUNDED)
    void parser_answers_a_success_or_an_error_document_for_any_request(@ForAll("rawParseRequests") String request) {
        String out = parser.call(request);
        if (FuzzChecks.checkParseOutput(out, request)) {
            String built = builder.call(out);
            assertThat(FuzzChecks.checkBuildOutput(built, out)).as("builder accepts the parse of %s: %s", request, built)
                    .isTrue();
        }
    }

    /** The builder, fed mutated parse results: it never traps and answers a success or an error document. */
    @Property(shrinking = ShrinkingMode.BOUNDED)
    void builder_answers_a_success_or_an_error_document_for_any_request(@ForAll("rawBuildRequests") String request) {
        FuzzChecks.checkBuildOutput(builder.call(request), request);
    }

    /**
     * Through the facade: a request gives a {@link ParsedClue} or an {@link InvalidRequestException} (a clean 400),
     * never anything else. For every parsed clue P:
     * <ol>
     *   <li>The parse is a fixed point: with C = P.text, followed by {@code " (a,b,...)"} when P.enumeration is
     *       not empty (see {@link FuzzChecks#reassembled}), and C at most 500 characters,
     *       {@code parse(C, P.pattern, P.count)} equals P in all seven fields.</li>
     *   <li>When the request had no count, {@code parse(C, P.pattern, null)} also finds P.count again.</li>
     *   <li>{@code prompt(P)} succeeds: the grammar's root rule has exactly P.count {@code answer "\n"}, the
     *       clue is fenced by exactly one {@code <clue>}/{@code </clue>}, the flat prompt has one {@code [INST]}.</li>
     * </ol>
     */
    @Property(shrinking = ShrinkingMode.BOUNDED)
    void facade_parses_to_a_fixed_point_or_rejects_cleanly_and_prompts_every_parse(
            @ForAll("clueRequests") ClueRequest request) {
        FuzzChecks.checkFacade(helper, request);
    }
}
