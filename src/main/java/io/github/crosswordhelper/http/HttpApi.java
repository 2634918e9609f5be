package io.github.crosswordhelper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.crosswordhelper.BackendStatus;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.Rejection;
import io.github.crosswordhelper.SuggestResponse;
import io.github.crosswordhelper.Suggestion;
import io.github.crosswordhelper.SuggestionListener;
import java.util.List;
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
            config.routes.post("/api/v1/suggestions", api::suggestPost);
            config.routes.get("/api/v1/suggestions", api::suggestGet);
            config.routes.get("/api/v1/suggestions/stream", api::suggestStream);
            config.routes.get("/api/v1/words", api::words);
            config.routes.get("/api/v1/backends", api::backends);
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

    private void suggestPost(Context ctx) {
        json(ctx, ComponentCodec.suggestResponseJson(helper.suggest(reader.read(ctx))));
    }

    private void suggestGet(Context ctx) {
        json(ctx, ComponentCodec.suggestResponseJson(helper.suggest(reader.readQuery(ctx))));
    }

    /**
     * Server-sent events: {@code suggestion} per accepted answer, {@code rejected} per refused candidate,
     * then {@code done} with the full response, or {@code error} with a problem. The request is checked
     * before the stream opens, so a bad one still gets a plain 400.
     */
    private void suggestStream(Context ctx) {
        ClueRequest request = reader.readQuery(ctx);
        helper.parse(request);
        SseWriter sse = new SseWriter(ctx);
        try {
            SuggestResponse response = helper.suggest(request, new SuggestionListener() {
                @Override
                public void onSuggestion(Suggestion s) {
                    sse.event("suggestion", ComponentCodec.suggestionJson(s).toString());
                }

                @Override
                public void onRejected(Rejection r) {
                    sse.event("rejected", ComponentCodec.rejectionJson(r).toString());
                }
            });
            sse.event("done", ComponentCodec.suggestResponseJson(response).toString());
        } catch (SseWriter.ClientGoneException gone) {
            // Nothing to tell a client that left; the backend call has already been unwound.
        } catch (RuntimeException e) {
            try {
                sse.event("error", ProblemMapper.problemFor(e).toString());
            } catch (SseWriter.ClientGoneException ignored) {
                // the client left while we failed
            }
        }
    }

    private void words(Context ctx) {
        String limitParam = ctx.queryParam("limit");
        int limit = 100;
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam.strip());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("limit", "limit must be an integer");
            }
        }
        String pattern = ctx.queryParam("pattern");
        List<String> words = helper.words(pattern, limit);
        ObjectNode body = ComponentCodec.MAPPER.createObjectNode();
        body.put("pattern", pattern);
        ArrayNode array = body.putArray("words");
        words.forEach(array::add);
        json(ctx, body);
    }

    private void backends(Context ctx) {
        ObjectNode body = ComponentCodec.MAPPER.createObjectNode();
        body.put("default", helper.defaultBackend());
        ArrayNode array = body.putArray("backends");
        for (BackendStatus b : helper.backends()) {
            array.addObject()
                    .put("name", b.name())
                    .put("kind", b.kind())
                    .put("model", b.model())
                    .put("ready", b.ready())
                    .put("default", b.isDefault());
        }
        json(ctx, body);
    }

    private static void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
