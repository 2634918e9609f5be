package io.github.crosswordhelper.server;

import io.github.crosswordhelper.backend.llama.LlamaConfig;
import io.github.crosswordhelper.backend.remote.RemoteConfig;
import io.github.crosswordhelper.http.HttpApi;
import io.github.crosswordhelper.wasm.WasmOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's validated settings, from a YAML file, environment variables and command-line flags
 * (flags over env over file over defaults). Every value is checked once at start-up; an error names the
 * key and the source it came from. API keys never appear in {@link #toString()} or in errors.
 */
public record ServerConfig(
        String host,
        int port,
        int maxBodyBytes,
        Optional<Path> clueParserWasm,
        Optional<Path> promptBuilderWasm,
        WasmOptions wasmOptions,
        Map<String, BackendSpec> backends,
        String defaultBackend,
        String backendReason,
        List<String> fallback,
        Duration requestTimeout,
        boolean allowVulgar,
        Optional<String> apiKey,
        boolean cacheEnabled,
        int cacheMaxEntries,
        Duration cacheTtl,
        boolean protectOperations,
        boolean protectPage,
        List<String> corsOrigins,
        int rateLimitPerMinute,
        int maxInFlight) {

    /** The 7B chat model the original demo used; see models/README.md. */
    public static final String DEFAULT_MODEL = "models/llama-2-7b-chat.Q4_K_M.gguf";

    /** One configured backend. */
    public sealed interface BackendSpec permits ThesaurusSpec, LocalSpec, RemoteSpec {
        String name();
    }

    public record ThesaurusSpec(String name) implements BackendSpec {}

    public record LocalSpec(String name, LlamaConfig config) implements BackendSpec {}

    public record RemoteSpec(String name, RemoteConfig config) implements BackendSpec {}

    public ServerConfig {
        backends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(backends));
        fallback = List.copyOf(fallback);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Settings from the environment alone (no file, no flags). */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return load(List.of(), env);
    }

    /**
     * Reads and validates every setting.
     *
     * @throws ConfigException naming the key and its source when anything is unknown or impossible
     */
    public static ServerConfig load(List<String> args, Map<String, String> env) {
        Settings s = Settings.load(args, env);
        String host = s.get("host").map(Settings.Value::raw).orElse("0.0.0.0");
        int port = s.get("port").map(v -> intValue(v, 0, 65535)).orElse(8080);

        WasmOptions.Builder wasm = WasmOptions.builder();
        s.get("wasm.poolSize").ifPresent(v -> wasm.withPoolSize(intValue(v, 1, 1024)));
        s.get("wasm.maxMemoryPages").ifPresent(v -> wasm.withMaxMemoryPages(intValue(v, 1, 65536)));
        s.get("wasm.callTimeout").ifPresent(v -> wasm.withCallTimeout(duration(v)));

        boolean allowVulgar = s.get("allowVulgar").map(ServerConfig::bool).orElse(false);

        // Backends: the thesaurus always; "local" and "remote" from env or flags; any names from the file.
        Map<String, BackendSpec> backends = new LinkedHashMap<>();
        backends.put("thesaurus", new ThesaurusSpec("thesaurus"));
        Path defaultModel = Path.of(DEFAULT_MODEL);
        boolean implicitLocal = s.get("backends.local.model").isEmpty() && s.backendNames().stream()
                .noneMatch(n -> n.equals("local")) && Files.isRegularFile(defaultModel);
        List<String> names = new ArrayList<>(s.backendNames());
        if (implicitLocal) {
            names.add("local");
        }
        String explicitDefault = s.get("backend").map(v -> v.raw().strip()).orElse(null);
        int locals = 0;
        for (String name : names) {
            String kind = s.get("backends." + name + ".kind").map(v -> v.raw().strip().toLowerCase(Locale.ROOT))
                    .orElse(name.equals("local") || name.equals("remote") || name.equals("thesaurus") ? name : null);
            if (kind == null) {
                throw new ConfigException("backends." + name + ".kind is missing: say thesaurus, local or remote");
            }
            switch (kind) {
                case "thesaurus" -> backends.put(name, new ThesaurusSpec(name));
                case "local" -> {
                    if (++locals > 1) {
                        throw new ConfigException("backends." + name + ": only one local model can be loaded per "
                                + "process (java-llama.cpp cannot unload one, and two slow each other down)");
                    }
                    backends.put(name, localSpec(s, name, defaultModel, name.equals(explicitDefault)));
                }
                case "remote" -> backends.put(name, new RemoteSpec(name, remoteConfig(s, name)));
                default -> throw new ConfigException(s.get("backends." + name + ".kind").get().describe()
                        + ": kind must be thesaurus, local or remote, got '" + kind + "'");
            }
        }

        String chosen;
        String reason;
        if (explicitDefault != null) {
            Settings.Value v = s.get("backend").get();
            if (!backends.containsKey(explicitDefault)) {
                String hint = explicitDefault.equals("local")
                        ? "; CROSSWORD_MODEL=" + defaultModel + " does not exist: download a model with scripts/download-model.sh (see models/README.md)"
                        : explicitDefault.equals("remote") ? "; set CROSSWORD_REMOTE_URL" : "";
                throw new ConfigException(v.describe() + ": no backend named '" + explicitDefault
                        + "' is configured (configured: " + String.join(", ", backends.keySet()) + ")" + hint);
            }
            chosen = explicitDefault;
            reason = "chosen by " + v.describe();
        } else if (backends.containsKey("remote")) {
            chosen = "remote";
            reason = "a remote backend is configured and no default was named";
        } else if (backends.containsKey("local")) {
            chosen = "local";
            reason = "the model file " + ((LocalSpec) backends.get("local")).config().model() + " exists";
        } else {
            chosen = "thesaurus";
            reason = "no model file at " + defaultModel + " (see models/README.md) and no remote configured: "
                    + "using the offline WordNet thesaurus";
        }

        List<String> fallback = new ArrayList<>();
        s.get("fallback").ifPresent(v -> {
            for (String name : v.raw().split(",")) {
                String n = name.strip();
                if (n.isEmpty()) {
                    continue;
                }
                if (!backends.containsKey(n)) {
                    throw new ConfigException(v.describe() + ": no backend named '" + n + "' (configured: "
                            + String.join(", ", backends.keySet()) + ")");
                }
                fallback.add(n);
            }
        });

        Optional<String> apiKey = s.get("apiKey").map(v -> secret(v));

        return new ServerConfig(
                host,
                port,
                HttpApi.DEFAULT_MAX_BODY_BYTES,
                s.get("wasm.clueParser").map(ServerConfig::existingFile),
                s.get("wasm.promptBuilder").map(ServerConfig::existingFile),
                wasm.build(),
                backends,
                chosen,
                reason,
                fallback,
                s.get("requestTimeout").map(ServerConfig::duration).orElse(Duration.ofSeconds(60)),
                allowVulgar,
                apiKey,
                s.get("cache.enabled").map(ServerConfig::bool).orElse(true),
                s.get("cache.maxEntries").map(v -> intValue(v, 1, 10_000_000)).orElse(1000),
                s.get("cache.ttl").map(ServerConfig::duration).orElse(Duration.ofMinutes(10)),
                s.get("auth.operations").map(ServerConfig::bool).orElse(false),
                s.get("auth.page").map(ServerConfig::bool).orElse(false),
                s.get("cors.origins").map(ServerConfig::origins).orElse(List.of()),
                s.get("rateLimit.perMinute").map(v -> intValue(v, 0, 1_000_000)).orElse(0),
                s.get("admission.maxInFlight").map(v -> intValue(v, 1, 100_000)).orElse(256));
    }

    private static List<String> origins(Settings.Value v) {
        List<String> out = new ArrayList<>();
        for (String raw : v.raw().split(",")) {
            String o = raw.strip();
            if (o.isEmpty()) {
                continue;
            }
            if (!o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
                throw new ConfigException(v.describe() + ": '" + o + "' is not an origin such as https://example.org");
            }
            out.add(o);
        }
        return out;
    }

    private static LocalSpec localSpec(Settings s, String name, Path defaultModel, boolean explicit) {
        String prefix = "backends." + name + ".";
        Path model = s.get(prefix + "model").map(v -> Path.of(v.raw())).orElse(defaultModel);
        if (!Files.isRegularFile(model)) {
            String origin = s.get(prefix + "model").map(Settings.Value::describe)
                    .orElse("the default model " + defaultModel);
            throw new ConfigException(origin + ": " + model + " is not a file; download a model with "
                    + "scripts/download-model.sh (see models/README.md)");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Path natives = s.get(prefix + "nativeTmpDir").map(v -> Path.of(v.raw()))
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "crossword-helper-llama"));
        int parallel = s.get(prefix + "parallel").map(v -> intValue(v, 1, 64)).orElse(4);
        int context = s.get(prefix + "context").map(v -> intValue(v, 256, 1 << 20)).orElse(4096);
        try {
            return new LocalSpec(name, new LlamaConfig(
                    model,
                    s.get(prefix + "threads").map(v -> intValue(v, 1, 512)).orElse(cores),
                    context,
                    parallel,
                    s.get(prefix + "queue").map(v -> intValue(v, 0, 10_000)).orElse(16),
                    natives));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("backends." + name + ": " + e.getMessage());
        }
    }

    private static RemoteConfig remoteConfig(Settings s, String name) {
        String prefix = "backends." + name + ".";
        Settings.Value url = s.get(prefix + "url").orElseThrow(() -> new ConfigException(
                prefix + "url is missing (for the env-defined remote backend: CROSSWORD_REMOTE_URL)"));
        RemoteConfig.Builder b = RemoteConfig.builder().name(name);
        apply(url, v -> b.url(checkedUrl(v)));
        s.get(prefix + "protocol").ifPresent(v -> apply(v, x -> b.protocol(x.raw().strip())));
        s.get(prefix + "model").ifPresent(v -> apply(v, x -> b.model(x.raw().strip())));
        s.get(prefix + "apiKey").ifPresent(v -> apply(v, x -> b.apiKey(secret(x))));
        s.get(prefix + "timeout").ifPresent(v -> apply(v, x -> b.timeout(duration(x))));
        s.get(prefix + "connectTimeout").ifPresent(v -> apply(v, x -> b.connectTimeout(duration(x))));
        s.get(prefix + "maxRetries").ifPresent(v -> apply(v, x -> b.maxRetries(intValue(x, 0, 10))));
        s.get(prefix + "llamaGrammar").ifPresent(v -> apply(v, x -> b.llamaCppGrammar(bool(x))));
        s.get(prefix + "stream").ifPresent(v -> apply(v, x -> b.stream(bool(x))));
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("backends." + name + " (" + url.describe() + "): " + e.getMessage());
        }
    }

    private static void apply(Settings.Value v, java.util.function.Consumer<Settings.Value> setter) {
        try {
            setter.accept(v);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(v.describe() + ": " + e.getMessage());
        }
    }

    private static URI checkedUrl(Settings.Value v) {
        URI uri;
        try {
            uri = new URI(v.raw().strip());
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(v.describe() + ": not a URL (" + e.getReason() + ")");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new ConfigException(v.describe() + ": not an http(s) URL with a host");
        }
        return uri;
    }

    private static String secret(Settings.Value v) {
        String key = v.raw().strip();
        if (key.isEmpty() || key.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
            throw new ConfigException(v.describe() + ": must be printable ASCII without spaces");
        }
        return key;
    }

    static int intValue(Settings.Value v, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(v.raw().strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(v.describe() + ": '" + v.shown() + "' is not an integer");
        }
        if (value < min || value > max) {
            throw new ConfigException(v.describe() + ": " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** {@code 250ms}, {@code 60s}, {@code 10m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(Settings.Value v) {
        Matcher m = DURATION.matcher(v.raw().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(v.describe() + ": '" + v.shown() + "' is not a duration such as 250ms, 60s, 10m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new ConfigException(v.describe() + ": must be positive");
        }
        return d;
    }

    static boolean bool(Settings.Value v) {
        return switch (v.raw().strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(v.describe() + ": '" + v.shown() + "' is not true or false");
        };
    }

    private static Path existingFile(Settings.Value v) {
        Path p = Path.of(v.raw());
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(v.describe() + ": " + p + " is not a readable file");
        }
        return p;
    }

    /** Never shows an API key. */
    @Override
    public String toString() {
        Function<BackendSpec, String> show = b -> b instanceof RemoteSpec r ? r.config().toString()
                : b instanceof LocalSpec l ? "local " + l.config().model() : "thesaurus";
        List<String> bs = new ArrayList<>();
        backends.values().forEach(b -> bs.add(b.name() + "=" + show.apply(b)));
        return "ServerConfig[host=" + host + ", port=" + port + ", default=" + defaultBackend + ", backends=" + bs
                + ", fallback=" + fallback + ", requestTimeout=" + requestTimeout + ", allowVulgar=" + allowVulgar
                + ", apiKey=" + (apiKey.isPresent() ? "****" : "none") + ", protectOperations=" + protectOperations
                + ", protectPage=" + protectPage + ", corsOrigins=" + corsOrigins + ", rateLimitPerMinute="
                + rateLimitPerMinute + ", maxInFlight=" + maxInFlight + ", cache=" + (cacheEnabled
                        ? cacheMaxEntries + " entries, ttl " + cacheTtl : "off") + ", wasm=" + wasmOptions + "]";
    }
}
