package io.github.crosswordhelper.server;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.llama.LlamaCppBackend;
import io.github.crosswordhelper.backend.remote.RemoteBackend;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.http.HttpApi;
import io.github.crosswordhelper.http.HttpOptions;
import io.github.crosswordhelper.http.Metrics;
import io.javalin.Javalin;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the service: {@code java -jar target/crossword-helper.jar [--config FILE] [--key=value ...]}. */
public final class Main {
    static {
        // The service's logging setup; set before the first logger exists. The library jar ships no logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/github/crosswordhelper/server/logback-service.xml");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(help());
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(List.of(args), System.getenv());
        } catch (ConfigException e) {
            System.err.println("crossword-helper: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Metrics metrics = new Metrics();
        List<ThesaurusBackend> thesauri = new java.util.ArrayList<>();
        CrosswordHelper helper;
        try {
            helper = buildHelper(config, metrics, thesauri, false);
        } catch (RuntimeException e) {
            System.err.println("crossword-helper: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = HttpApi.create(helper, httpOptions(config, metrics));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: draining in-flight requests");
            app.stop();
            helper.close();
        }, "shutdown"));
        app.start(config.host(), config.port());
        // WordNet loads on its own thread; started after the port opens, it does not compete with
        // start-up for the CPU, and /health/ready reports it.
        thesauri.forEach(ThesaurusBackend::start);
        LOG.info("crossword-helper listening on {}:{}; backend {} ({}); model {}; backends {}; components: {}",
                config.host(), app.port(), config.defaultBackend(), config.backendReason(),
                modelOf(config), String.join(", ", config.backends().keySet()), helper.componentsSummary());
    }

    private static String modelOf(ServerConfig config) {
        ServerConfig.BackendSpec spec = config.backends().get(config.defaultBackend());
        if (spec instanceof ServerConfig.LocalSpec l) {
            return l.config().model().toString();
        }
        if (spec instanceof ServerConfig.RemoteSpec r) {
            return r.config().model() + " at " + r.config().url();
        }
        return "WordNet 3.1";
    }

    static HttpOptions httpOptions(ServerConfig config, Metrics metrics) {
        return new HttpOptions(config.maxBodyBytes(), config.apiKey(), metrics, java.time.Duration.ofSeconds(30),
                config.protectOperations(), config.protectPage(), config.corsOrigins(), config.rateLimitPerMinute());
    }

    /**
     * Builds the helper and its backends from validated settings. Backends load in the background, so
     * serving starts at once.
     */
    public static CrosswordHelper buildHelper(ServerConfig config) {
        return buildHelper(config, io.github.crosswordhelper.CrosswordMetrics.NONE);
    }

    /** As {@link #buildHelper(ServerConfig)}, sending measurements to {@code metrics}. */
    public static CrosswordHelper buildHelper(ServerConfig config, io.github.crosswordhelper.CrosswordMetrics metrics) {
        return buildHelper(config, metrics, new java.util.ArrayList<>(), true);
    }

    /**
     * @param thesauri receives the thesaurus backends, so the caller can start them once serving
     * @param startThesauri whether to start them here
     */
    static CrosswordHelper buildHelper(ServerConfig config, io.github.crosswordhelper.CrosswordMetrics metrics,
            List<ThesaurusBackend> thesauri, boolean startThesauri) {
        CrosswordHelper.Builder builder = CrosswordHelper.builder()
                .metrics(metrics)
                .wasmOptions(config.wasmOptions())
                .requestTimeout(config.requestTimeout())
                .allowVulgar(config.allowVulgar())
                .fallback(config.fallback())
                .maxInFlight(config.maxInFlight());
        if (config.cacheEnabled()) {
            builder.cache(config.cacheMaxEntries(), config.cacheTtl());
        }
        config.clueParserWasm().ifPresent(builder::clueParserWasm);
        config.promptBuilderWasm().ifPresent(builder::promptBuilderWasm);
        for (ServerConfig.BackendSpec spec : config.backends().values()) {
            if (spec instanceof ServerConfig.ThesaurusSpec) {
                ThesaurusBackend thesaurus = new ThesaurusBackend(config.allowVulgar());
                builder.backend(thesaurus);
                thesauri.add(thesaurus);
            } else if (spec instanceof ServerConfig.LocalSpec local) {
                builder.backend(new LlamaCppBackend(local.name(), local.config()));
            } else if (spec instanceof ServerConfig.RemoteSpec remote) {
                builder.backend(new RemoteBackend(remote.config()));
            }
        }
        CrosswordHelper helper = builder.defaultBackend(config.defaultBackend()).build();
        if (startThesauri) {
            thesauri.forEach(ThesaurusBackend::start);
        }
        return helper;
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar crossword-helper.jar [--config FILE] [--key=value ...]\n\n");
        sb.append("Settings come from flags, then environment variables, then the YAML file named by --config or\n");
        sb.append("CROSSWORD_CONFIG, then defaults. Each setting, as a file key and an environment variable:\n\n");
        for (Map.Entry<String, String> e : Settings.TOP.entrySet()) {
            sb.append(String.format("  %-26s %s%n", e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, String> e : Settings.BACKEND_ENV.entrySet()) {
            sb.append(String.format("  %-26s %s%n", e.getKey(), e.getValue()));
        }
        sb.append("\nFlags take either spelling: --port=8080, --cache.ttl=5m, --remote-url=http://host:8080.\n");
        sb.append("The README's configuration table gives every default.\n");
        return sb.toString();
    }
}
