package io.github.crosswordhelper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.internal.ComponentCodec;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * The HTTP adapter over {@link CrosswordHelper}: the one place that registers routes. It holds no logic
 * beyond reading requests strictly and writing JSON; errors go to {@link ProblemMapper}.
 */
public final class HttpApi {

    /** Largest accepted request body: 16 KiB. A clue is at most 500 characters. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

    private final CrosswordHelper helper;
    private final RequestReader reader;

    private HttpApi(CrosswordHelper helper, int maxBodyBytes) {
        this.helper = Objects.requireNonNull(helper, "helper");
        this.reader = new RequestReader(maxBodyBytes);
    }

    /**
     * Creates (but does not start) the server. The caller owns both the returned {@link Javalin} and the
     * helper, and stops the server before closing the helper.
     */
    public static Javalin create(CrosswordHelper helper) {
        return create(helper, DEFAULT_MAX_BODY_BYTES);
    }

    public static Javalin create(CrosswordHelper helper, int maxBodyBytes) {
        HttpApi api = new HttpApi(helper, maxBodyBytes);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = maxBodyBytes;
            config.routes.get("/health", HttpApi::health);
            config.routes.post("/api/v1/clues/parse", api::parse);
            config.routes.post("/api/v1/prompts", api::prompts);
            config.routes.exception(Exception.class, ProblemMapper::handle);
            for (int status : new int[] {400, 404, 405, 413, 415, 500, 503}) {
                config.routes.error(status, "*", ProblemMapper::handleStatus);
            }
        });
    }

    private static void health(Context ctx) {
        ctx.contentType("application/json").result("{\"status\":\"UP\"}");
    }

    private void parse(Context ctx) {
        ClueRequest request = reader.read(ctx);
        ParsedClue clue = helper.parse(request);
        json(ctx, ComponentCodec.parsedClueJson(clue));
    }

    private void prompts(Context ctx) {
        ClueRequest request = reader.read(ctx);
        ParsedClue clue = helper.parse(request);
        Prompt prompt = helper.prompt(clue);
        json(ctx, ComponentCodec.promptJson(clue, prompt));
    }

    private static void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
