package io.github.crosswordhelper.server;

import io.github.crosswordhelper.CrosswordHelper;
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
        CrosswordHelper.Builder builder = CrosswordHelper.builder().wasmOptions(config.wasmOptions());
        config.clueParserWasm().ifPresent(builder::clueParserWasm);
        config.promptBuilderWasm().ifPresent(builder::promptBuilderWasm);
        CrosswordHelper helper;
        try {
            helper = builder.build();
        } catch (RuntimeException e) {
            System.err.println("crossword-helper: cannot load components: " + e.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = HttpApi.create(helper, config.maxBodyBytes());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            helper.close();
        }, "shutdown"));
        app.start(config.host(), config.port());
        LOG.info("crossword-helper listening on {}:{}; components: {}", config.host(), app.port(), helper.componentsSummary());
    }
}
