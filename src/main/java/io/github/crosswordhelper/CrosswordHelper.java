package io.github.crosswordhelper;

import io.github.crosswordhelper.internal.ComponentCodec;
import io.github.crosswordhelper.wasm.BuiltInComponent;
import io.github.crosswordhelper.wasm.ExecutionMode;
import io.github.crosswordhelper.wasm.WasmComponent;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The library's entry point: parses crossword clues and builds model prompts through the two Wasm
 * components. It has no HTTP dependency; the service's HTTP layer is a thin adapter over it.
 *
 * <pre>{@code
 * try (CrosswordHelper helper = CrosswordHelper.builder().build()) {
 *     ParsedClue clue = helper.parse(ClueRequest.of("Bourne Identity star (4,5)"));
 *     clue.length(); // 9
 * }
 * }</pre>
 *
 * <p>Thread-safe: one instance serves any number of threads; each Wasm call gets its own pooled
 * instance. Build it once and share it. Closing it releases the pools; calls after close fail.
 */
public final class CrosswordHelper implements AutoCloseable {

    /** A valid clue, used to warm every pooled instance at start-up. */
    static final String WARM_UP_CLUE = "Bourne Identity star (4,5)";

    private final WasmComponent clueParser;
    private final WasmComponent promptBuilder;

    private CrosswordHelper(Builder builder) {
        String warmUpParse = ComponentCodec.parseInput(ClueRequest.of(WARM_UP_CLUE));
        this.clueParser = load(BuiltInComponent.CLUE_PARSER, builder.clueParserWasm, builder, warmUpParse);
        try {
            ParsedClue warmClue = ComponentCodec.parsedClue(clueParser.name(), clueParser.call(warmUpParse));
            this.promptBuilder = load(
                    BuiltInComponent.PROMPT_BUILDER,
                    builder.promptBuilderWasm,
                    builder,
                    ComponentCodec.promptInput(warmClue));
        } catch (RuntimeException e) {
            clueParser.close();
            throw e;
        }
    }

    private static WasmComponent load(BuiltInComponent which, Path userWasm, Builder builder, String warmUp) {
        if (userWasm == null) {
            return WasmComponent.builtIn(which, builder.builtInMode, builder.wasmOptions, warmUp);
        }
        return WasmComponent.fromFile(which, userWasm, builder.userComponentMode, builder.wasmOptions, warmUp);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a clue: enumeration, length, normalised pattern, count and kind.
     *
     * @throws InvalidRequestException when the request is wrong, e.g. a pattern that contradicts the
     *     enumeration; the detail says how
     * @throws ComponentException when the clue-parser component fails
     * @throws ServiceUnavailableException when every parser instance stays busy past the call deadline
     */
    public ParsedClue parse(ClueRequest request) {
        Objects.requireNonNull(request, "request");
        return ComponentCodec.parsedClue(clueParser.name(), clueParser.call(ComponentCodec.parseInput(request)));
    }

    /**
     * Builds the chat messages, flat prompt, grammar and generation parameters for a parsed clue.
     *
     * @throws ComponentException when the prompt-builder component fails
     */
    public Prompt prompt(ParsedClue clue) {
        Objects.requireNonNull(clue, "clue");
        return ComponentCodec.prompt(promptBuilder.name(), promptBuilder.call(ComponentCodec.promptInput(clue)));
    }

    /** Describes the loaded components, e.g. for a start-up log line. */
    public String componentsSummary() {
        return clueParser.name() + " [" + clueParser.mode() + "], " + promptBuilder.name() + " [" + promptBuilder.mode() + "]";
    }

    @Override
    public void close() {
        clueParser.close();
        promptBuilder.close();
    }

    /** Configures a {@link CrosswordHelper}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private Path clueParserWasm;
        private Path promptBuilderWasm;
        private WasmOptions wasmOptions = WasmOptions.DEFAULTS;
        private ExecutionMode builtInMode = ExecutionMode.BUILD_TIME_COMPILED;
        private ExecutionMode userComponentMode = ExecutionMode.RUNTIME_COMPILED;

        private Builder() {}

        /** Replaces the built-in clue parser with a {@code .wasm} file that follows the guest interface. */
        public Builder clueParserWasm(Path wasm) {
            this.clueParserWasm = wasm;
            return this;
        }

        /** Replaces the built-in prompt builder, e.g. to customise prompts without recompiling the service. */
        public Builder promptBuilderWasm(Path wasm) {
            this.promptBuilderWasm = wasm;
            return this;
        }

        /** Pool size, memory cap, call deadline and output cap for both components. */
        public Builder wasmOptions(WasmOptions options) {
            this.wasmOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** How built-in components run; {@link ExecutionMode#BUILD_TIME_COMPILED} unless benchmarking. */
        public Builder builtInMode(ExecutionMode mode) {
            this.builtInMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How user-supplied components run: {@link ExecutionMode#RUNTIME_COMPILED} (default) or interpreted. */
        public Builder userComponentMode(ExecutionMode mode) {
            if (mode == ExecutionMode.BUILD_TIME_COMPILED) {
                throw new IllegalArgumentException("user components cannot be build-time compiled");
            }
            this.userComponentMode = mode;
            return this;
        }

        /**
         * Loads both components and warms their pools.
         *
         * @throws ComponentException when a component cannot be loaded or fails its warm-up
         */
        public CrosswordHelper build() {
            return new CrosswordHelper(this);
        }
    }
}
