package io.github.crosswordhelper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raw settings from the three sources, merged by precedence: command-line flags over environment
 * variables over the YAML file. Each value remembers where it came from, so an error can say "CROSSWORD_PORT
 * (environment)" or "port (file crossword.yaml)". Unknown keys are errors, not silently ignored.
 *
 * <p>Keys are the file's dotted paths ({@code port}, {@code cache.ttl}, {@code backends.remote.url}).
 * Every key also has an environment name ({@code CROSSWORD_PORT}) and two flag spellings ({@code --port},
 * {@code --cache.ttl}, and the environment name as a flag: {@code --remote-url}).
 */
final class Settings {

    /** One value and its origin. */
    record Value(String key, String raw, String origin, boolean secret) {
        /** How to name this value in an error: the key as its source spells it, and the source. */
        String describe() {
            return origin;
        }

        String shown() {
            return secret ? "****" : raw;
        }
    }

    /** Top-level keys and their environment names. */
    static final Map<String, String> TOP = new LinkedHashMap<>();
    /** Keys inside {@code backends.<name>}. */
    static final Set<String> BACKEND_KEYS = Set.of("kind", "model", "threads", "context", "parallel", "queue",
            "nativeTmpDir", "url", "protocol", "apiKey", "timeout", "connectTimeout", "maxRetries", "llamaGrammar",
            "stream");
    /** Environment names of the two env-defined backends' keys. */
    static final Map<String, String> BACKEND_ENV = new LinkedHashMap<>();

    static {
        TOP.put("host", "CROSSWORD_HOST");
        TOP.put("port", "CROSSWORD_PORT");
        TOP.put("backend", "CROSSWORD_BACKEND");
        TOP.put("fallback", "CROSSWORD_FALLBACK");
        TOP.put("requestTimeout", "CROSSWORD_REQUEST_TIMEOUT");
        TOP.put("allowVulgar", "CROSSWORD_ALLOW_VULGAR");
        TOP.put("apiKey", "CROSSWORD_API_KEY");
        TOP.put("cache.enabled", "CROSSWORD_CACHE_ENABLED");
        TOP.put("cache.maxEntries", "CROSSWORD_CACHE_MAX_ENTRIES");
        TOP.put("cache.ttl", "CROSSWORD_CACHE_TTL");
        TOP.put("auth.operations", "CROSSWORD_AUTH_OPERATIONS");
        TOP.put("auth.page", "CROSSWORD_AUTH_PAGE");
        TOP.put("cors.origins", "CROSSWORD_CORS_ORIGINS");
        TOP.put("rateLimit.perMinute", "CROSSWORD_RATE_LIMIT_PER_MINUTE");
        TOP.put("admission.maxInFlight", "CROSSWORD_MAX_IN_FLIGHT");
        TOP.put("wasm.poolSize", "CROSSWORD_WASM_POOL_SIZE");
        TOP.put("wasm.maxMemoryPages", "CROSSWORD_WASM_MAX_MEMORY_PAGES");
        TOP.put("wasm.callTimeout", "CROSSWORD_WASM_CALL_TIMEOUT");
        TOP.put("wasm.clueParser", "CROSSWORD_CLUE_PARSER_WASM");
        TOP.put("wasm.promptBuilder", "CROSSWORD_PROMPT_BUILDER_WASM");
        BACKEND_ENV.put("backends.local.model", "CROSSWORD_MODEL");
        BACKEND_ENV.put("backends.local.threads", "CROSSWORD_LOCAL_THREADS");
        BACKEND_ENV.put("backends.local.context", "CROSSWORD_LOCAL_CONTEXT");
        BACKEND_ENV.put("backends.local.parallel", "CROSSWORD_LOCAL_PARALLEL");
        BACKEND_ENV.put("backends.local.queue", "CROSSWORD_LOCAL_QUEUE");
        BACKEND_ENV.put("backends.local.nativeTmpDir", "CROSSWORD_NATIVE_TMPDIR");
        BACKEND_ENV.put("backends.remote.url", "CROSSWORD_REMOTE_URL");
        BACKEND_ENV.put("backends.remote.protocol", "CROSSWORD_REMOTE_PROTOCOL");
        BACKEND_ENV.put("backends.remote.model", "CROSSWORD_REMOTE_MODEL");
        BACKEND_ENV.put("backends.remote.apiKey", "CROSSWORD_REMOTE_API_KEY");
        BACKEND_ENV.put("backends.remote.timeout", "CROSSWORD_REMOTE_TIMEOUT");
        BACKEND_ENV.put("backends.remote.connectTimeout", "CROSSWORD_REMOTE_CONNECT_TIMEOUT");
        BACKEND_ENV.put("backends.remote.maxRetries", "CROSSWORD_REMOTE_MAX_RETRIES");
        BACKEND_ENV.put("backends.remote.llamaGrammar", "CROSSWORD_REMOTE_LLAMA_GRAMMAR");
        BACKEND_ENV.put("backends.remote.stream", "CROSSWORD_REMOTE_STREAM");
    }

    private final Map<String, Value> values = new LinkedHashMap<>();

    private Settings() {}

    /**
     * Reads the file named by {@code --config} or {@code CROSSWORD_CONFIG}, then the environment, then the
     * flags, later sources overriding earlier ones.
     *
     * @throws ConfigException for an unreadable file, an unknown key, or a malformed flag
     */
    static Settings load(List<String> args, Map<String, String> env) {
        Settings s = new Settings();
        Map<String, String> flags = parseFlags(args);
        String configFlag = flags.remove("config");
        Optional<Path> file = Optional.ofNullable(configFlag != null ? configFlag : env.get("CROSSWORD_CONFIG"))
                .filter(v -> !v.isBlank())
                .map(Path::of);
        file.ifPresent(s::readFile);
        s.readEnv(env);
        flags.forEach(s::readFlag);
        return s;
    }

    Optional<Value> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Names of the backends defined under {@code backends.}, in the order first seen. */
    List<String> backendNames() {
        List<String> names = new ArrayList<>();
        for (String key : values.keySet()) {
            if (key.startsWith("backends.")) {
                String name = key.substring("backends.".length(), key.lastIndexOf('.'));
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private void put(String key, String raw, String origin) {
        values.put(key, new Value(key, raw, origin, isSecret(key)));
    }

    static boolean isSecret(String key) {
        return key.equals("apiKey") || key.endsWith(".apiKey");
    }

    private void readFile(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + path + ": " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException("the configuration file " + path + " must be a YAML mapping");
        }
        flatten("", root, path);
    }

    private void flatten(String prefix, JsonNode node, Path path) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            String origin = key + " (file " + path + ")";
            if (v.isObject() && (Set.of("cache", "wasm", "backends", "auth", "cors", "rateLimit", "admission").contains(key)
                    || (key.startsWith("backends.") && key.indexOf('.', "backends.".length()) < 0))) {
                flatten(key, v, path);
                continue;
            }
            checkKnown(key, origin);
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(item.asText()));
                put(key, String.join(",", items), origin);
            } else if (v.isValueNode()) {
                put(key, v.isNull() ? "" : v.asText(), origin);
            } else {
                throw new ConfigException(origin + ": expected a single value, got a mapping");
            }
        }
    }

    private void readEnv(Map<String, String> env) {
        Map<String, String> byEnv = envNames();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("CROSSWORD_") || name.equals("CROSSWORD_CONFIG")) {
                continue;
            }
            String key = byEnv.get(name);
            if (key == null) {
                throw new ConfigException(name + " (environment) is not a known setting; known: "
                        + String.join(", ", new TreeSet<>(byEnv.keySet())));
            }
            if (!e.getValue().isEmpty()) {
                put(key, e.getValue(), name + (isSecret(key) ? "" : "=" + e.getValue()) + " (environment)");
            }
        }
    }

    private void readFlag(String name, String value) {
        String key;
        if (TOP.containsKey(name) || name.startsWith("backends.")) {
            key = name;
        } else {
            key = envNames().get("CROSSWORD_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (key == null) {
                throw new ConfigException("--" + name + " (command line) is not a known setting; see --help");
            }
        }
        String origin = "--" + name + " (command line)";
        checkKnown(key, origin);
        put(key, value, origin);
    }

    private static void checkKnown(String key, String origin) {
        if (TOP.containsKey(key)) {
            return;
        }
        if (key.startsWith("backends.")) {
            String rest = key.substring("backends.".length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0 && BACKEND_KEYS.contains(rest.substring(dot + 1)) && rest.substring(0, dot).matches("[A-Za-z0-9_-]+")) {
                return;
            }
            throw new ConfigException(origin + ": not a known setting; a backend is backends.<name>.<key> with <key> one of "
                    + String.join(", ", new TreeSet<>(BACKEND_KEYS)));
        }
        throw new ConfigException(origin + ": not a known setting; known: " + String.join(", ", TOP.keySet())
                + ", backends.<name>.<key>");
    }

    static Map<String, String> envNames() {
        Map<String, String> byEnv = new LinkedHashMap<>();
        TOP.forEach((key, env) -> byEnv.put(env, key));
        BACKEND_ENV.forEach((key, env) -> byEnv.put(env, key));
        return byEnv;
    }

    /** {@code --key=value} or {@code --key value}; {@code --help} is handled by the caller. */
    private static Map<String, String> parseFlags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() < 3) {
                throw new ConfigException("'" + arg + "' (command line) is not a flag; use --name=value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                flags.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                flags.put(body, args.get(++i));
            } else {
                throw new ConfigException("--" + body + " (command line) needs a value");
            }
        }
        return flags;
    }
}
