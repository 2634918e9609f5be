package io.github.crosswordhelper.server;

import io.github.crosswordhelper.http.HttpApi;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service's settings. Environment variables are read here and nowhere else; every value is checked
 * once, and an error names the variable.
 */
public record ServerConfig(
        String host,
        int port,
        int maxBodyBytes,
        Optional<Path> clueParserWasm,
        Optional<Path> promptBuilderWasm,
        WasmOptions wasmOptions) {

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("CROSSWORD_HOST", "0.0.0.0");
        int port = intValue(env, "CROSSWORD_PORT", 8080, 0, 65535);
        WasmOptions.Builder wasm = WasmOptions.builder();
        if (env.containsKey("CROSSWORD_WASM_POOL_SIZE")) {
            wasm.withPoolSize(intValue(env, "CROSSWORD_WASM_POOL_SIZE", 0, 1, 1024));
        }
        if (env.containsKey("CROSSWORD_WASM_MAX_MEMORY_PAGES")) {
            wasm.withMaxMemoryPages(intValue(env, "CROSSWORD_WASM_MAX_MEMORY_PAGES", 0, 1, 65536));
        }
        if (env.containsKey("CROSSWORD_WASM_CALL_TIMEOUT_MS")) {
            wasm.withCallTimeout(Duration.ofMillis(intValue(env, "CROSSWORD_WASM_CALL_TIMEOUT_MS", 0, 1, 600_000)));
        }
        return new ServerConfig(
                host,
                port,
                HttpApi.DEFAULT_MAX_BODY_BYTES,
                wasmPath(env, "CROSSWORD_CLUE_PARSER_WASM"),
                wasmPath(env, "CROSSWORD_PROMPT_BUILDER_WASM"),
                wasm.build());
    }

    private static int intValue(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + raw + " is not an integer");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + "=" + raw + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static Optional<Path> wasmPath(Map<String, String> env, String name) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(raw);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(name + "=" + raw + " is not a readable file");
        }
        return Optional.of(path);
    }
}
