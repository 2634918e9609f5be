package io.github.crosswordhelper.server;

import io.github.crosswordhelper.http.HttpApi;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service's settings. Environment variables are read here and nowhere else; every value is checked
 * once, and an error names the variable.
 *
 * @param backend {@code thesaurus} or {@code local}, after the default rule is applied
 * @param backendReason why that backend was chosen, for the start-up log
 */
public record ServerConfig(
        String host,
        int port,
        int maxBodyBytes,
        Optional<Path> clueParserWasm,
        Optional<Path> promptBuilderWasm,
        WasmOptions wasmOptions,
        String backend,
        String backendReason,
        Path model,
        int localThreads,
        int localContext,
        int localParallel,
        int localQueue,
        Path nativeTmpDir,
        Duration requestTimeout,
        boolean allowVulgar) {

    /** The 7B chat model the original demo used; see models/README.md. */
    public static final String DEFAULT_MODEL = "models/llama-2-7b-chat.Q4_K_M.gguf";

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String host = env.getOrDefault("CROSSWORD_HOST", "0.0.0.0");
        int port = intValue(env, "CROSSWORD_PORT", 8080, 0, 65535);
        WasmOptions.Builder wasm = WasmOptions.builder();
        if (present(env, "CROSSWORD_WASM_POOL_SIZE")) {
            wasm.withPoolSize(intValue(env, "CROSSWORD_WASM_POOL_SIZE", 0, 1, 1024));
        }
        if (present(env, "CROSSWORD_WASM_MAX_MEMORY_PAGES")) {
            wasm.withMaxMemoryPages(intValue(env, "CROSSWORD_WASM_MAX_MEMORY_PAGES", 0, 1, 65536));
        }
        if (present(env, "CROSSWORD_WASM_CALL_TIMEOUT_MS")) {
            wasm.withCallTimeout(Duration.ofMillis(intValue(env, "CROSSWORD_WASM_CALL_TIMEOUT_MS", 0, 1, 600_000)));
        }
        Path model = Path.of(env.getOrDefault("CROSSWORD_MODEL", DEFAULT_MODEL));
        String backend;
        String reason;
        String chosen = env.get("CROSSWORD_BACKEND");
        if (chosen == null || chosen.isBlank()) {
            if (Files.isRegularFile(model)) {
                backend = "local";
                reason = "CROSSWORD_BACKEND is unset and the model file " + model + " exists";
            } else {
                backend = "thesaurus";
                reason = "CROSSWORD_BACKEND is unset and there is no model file at " + model
                        + " (see models/README.md); using the offline WordNet thesaurus";
            }
        } else {
            backend = chosen.strip().toLowerCase(Locale.ROOT);
            if (!backend.equals("thesaurus") && !backend.equals("local")) {
                throw new IllegalArgumentException("CROSSWORD_BACKEND=" + chosen + " is not one of thesaurus, local");
            }
            if (backend.equals("local") && !Files.isRegularFile(model)) {
                throw new IllegalArgumentException("CROSSWORD_BACKEND=local but CROSSWORD_MODEL=" + model
                        + " is not a file; download one with scripts/download-model.sh (see models/README.md)");
            }
            reason = "CROSSWORD_BACKEND=" + chosen;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerConfig(
                host,
                port,
                HttpApi.DEFAULT_MAX_BODY_BYTES,
                wasmPath(env, "CROSSWORD_CLUE_PARSER_WASM"),
                wasmPath(env, "CROSSWORD_PROMPT_BUILDER_WASM"),
                wasm.build(),
                backend,
                reason,
                model,
                intValue(env, "CROSSWORD_LOCAL_THREADS", cores, 1, 512),
                intValue(env, "CROSSWORD_LOCAL_CONTEXT", 4096, 256, 1 << 20),
                intValue(env, "CROSSWORD_LOCAL_PARALLEL", 4, 1, 64),
                intValue(env, "CROSSWORD_LOCAL_QUEUE", 16, 0, 10_000),
                Path.of(env.getOrDefault("CROSSWORD_NATIVE_TMPDIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "crossword-helper-llama").toString())),
                Duration.ofSeconds(intValue(env, "CROSSWORD_REQUEST_TIMEOUT_SECONDS", 60, 1, 3600)),
                boolValue(env, "CROSSWORD_ALLOW_VULGAR", false));
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
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

    private static boolean boolValue(Map<String, String> env, String name, boolean fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + "=" + raw + " is not true or false");
        };
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
