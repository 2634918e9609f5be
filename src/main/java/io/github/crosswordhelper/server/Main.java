package io.github.crosswordhelper.server;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.llama.LlamaConfig;
import io.github.crosswordhelper.backend.llama.LlamaCppBackend;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.github.crosswordhelper.http.HttpApi;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the service: {@code java -jar target/crossword-helper.jar}. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("crossword-helper: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CrosswordHelper helper;
        try {
            helper = buildHelper(config);
        } catch (RuntimeException e) {
            System.err.println("crossword-helper: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = HttpApi.create(helper, config.maxBodyBytes());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            helper.close();
        }, "shutdown"));
        app.start(config.host(), config.port());
        LOG.info("crossword-helper listening on {}:{}; backend {} ({}); components: {}",
                config.host(), app.port(), config.backend(), config.backendReason(), helper.componentsSummary());
    }

    /** Builds the helper and its backends; backends load in the background, so serving starts at once. */
    static CrosswordHelper buildHelper(ServerConfig config) {
        CrosswordHelper.Builder builder = CrosswordHelper.builder()
                .wasmOptions(config.wasmOptions())
                .requestTimeout(config.requestTimeout())
                .allowVulgar(config.allowVulgar())
                .backend(new ThesaurusBackend(config.allowVulgar()).start());
        config.clueParserWasm().ifPresent(builder::clueParserWasm);
        config.promptBuilderWasm().ifPresent(builder::promptBuilderWasm);
        if (config.backend().equals("local")) {
            builder.backend(new LlamaCppBackend("local", new LlamaConfig(
                    config.model(),
                    config.localThreads(),
                    config.localContext(),
                    config.localParallel(),
                    config.localQueue(),
                    config.nativeTmpDir())));
        }
        return builder.defaultBackend(config.backend()).build();
    }
}
