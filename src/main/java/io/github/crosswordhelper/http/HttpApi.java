package io.github.crosswordhelper.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.BackendStatus;
import io.github.crosswordhelper.CrosswordException;
import io.github.crosswordhelper.InferResult;
import io.github.crosswordhelper.ServiceUnavailableException;
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

    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("io.github.crosswordhelper.access");

    /** Largest accepted {@code /infer} body: a flat prompt is longer than a clue request. */
    static final int MAX_INFER_BODY_BYTES = 64 * 1024;

    private final CrosswordHelper helper;
    private final RequestReader reader;
    private final ApiKey apiKey;
    private final Security security;
    private final Metrics metrics;

    private HttpApi(CrosswordHelper helper, HttpOptions options) {
        this.helper = Objects.requireNonNull(helper, "helper");
        this.reader = new RequestReader(options.maxBodyBytes());
        this.security = new Security(options);
        this.apiKey = security.apiKey();
        this.metrics = options.metrics() != null ? options.metrics() : new Metrics();
        metrics.watch(helper);
    }

    /**
     * Creates (but does not start) the server. The caller owns both the returned {@link Javalin} and the
     * helper, and stops the server before closing the helper.
     */
    public static Javalin create(CrosswordHelper helper) {
        return create(helper, HttpOptions.DEFAULTS);
    }

    public static Javalin create(CrosswordHelper helper, HttpOptions options) {
        HttpApi api = new HttpApi(helper, options);
        int maxBodyBytes = options.maxBodyBytes();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Graceful shutdown: stop accepting, then let in-flight requests finish for up to drainTimeout.
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(options.drainTimeout().toMillis());
                server.insertHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
            });
            config.routes.before(RequestIds::assign);
            config.routes.before(api.security::before);
            if (api.security.corsEnabled()) {
                config.routes.options("/*", api.security::preflight);
            }
            config.requestLogger.http(api::logged);
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = Math.max(maxBodyBytes, MAX_INFER_BODY_BYTES);
            // The web page: plain files, no build step, no CDN.
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
            config.routes.get("/health", HttpApi::health);
            config.routes.get("/health/live", HttpApi::health);
            config.routes.get("/health/ready", api::ready);
            config.routes.post("/infer", api::infer);
            config.routes.post("/api/v1/clues/parse", api::parse);
            config.routes.post("/api/v1/prompts", api::prompts);
            config.routes.post("/api/v1/suggestions", api::suggestPost);
            config.routes.get("/api/v1/suggestions", api::suggestGet);
            config.routes.get("/api/v1/suggestions/stream", api::suggestStream);
            config.routes.get("/api/v1/words", api::words);
            config.routes.get("/api/v1/backends", api::backends);
            config.routes.get("/metrics", api::metrics);
            config.routes.get("/openapi.json", HttpApi::openApi);
            config.routes.exception(Exception.class, ProblemMapper::handle);
            for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 429, 500, 503}) {
                config.routes.error(status, "*", ProblemMapper::handleStatus);
            }
        });
    }

    private static void health(Context ctx) {
        ctx.contentType("application/json").result("{\"status\":\"UP\"}");
    }

    /** Access log line and HTTP metrics, after every request, matched or not. */
    private void logged(Context ctx, Float millis) {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        metrics.httpRequest(ctx.method().name(), route, ctx.statusCode(), (long) (millis * 1_000_000L));
        if (!route.startsWith("/health") && !route.equals("/metrics")) {
            ACCESS.info("{} {} {} {} ms", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.1f", millis));
        }
        RequestIds.clear();
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private static void openApi(Context ctx) throws java.io.IOException {
        try (var in = HttpApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new io.javalin.http.NotFoundResponse("openapi.json is missing from the jar");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    /** 200 when the default backend can serve; 503 while it loads or is unreachable. */
    private void ready(Context ctx) {
        ObjectNode body = ComponentCodec.MAPPER.createObjectNode();
        boolean ready = false;
        ArrayNode array = body.putArray("backends");
        for (BackendStatus b : helper.backends()) {
            array.addObject().put("name", b.name()).put("ready", b.ready());
            if (b.isDefault()) {
                ready = b.ready();
                body.put("backend", b.name());
            }
        }
        body.put("status", ready ? "UP" : "DOWN");
        if (!ready) {
            ctx.header("Retry-After", "2");
            ctx.attribute(ProblemMapper.KEEP_BODY, Boolean.TRUE);
        }
        ctx.status(ready ? 200 : 503).contentType("application/json").result(body.toString());
    }

    /**
     * Spin's {@code remote_http} inference protocol, so a Spin app or another instance of this service can
     * use this one as its LLM. The key is checked before anything else; errors are plain text, as Spin's
     * own proxy sends them.
     */
    private void infer(Context ctx) {
        if (apiKey == null) {
            plain(ctx, 403, "the /infer endpoint is disabled: set CROSSWORD_API_KEY to enable it");
            return;
        }
        if (!apiKey.matches(ctx.header("authorization"))) {
            plain(ctx, 403, "Access denied: a valid authorization: bearer <key> header is required");
            return;
        }
        JsonNode body;
        try {
            byte[] bytes = ctx.req().getInputStream().readNBytes(MAX_INFER_BODY_BYTES + 1);
            if (bytes.length > MAX_INFER_BODY_BYTES) {
                plain(ctx, 413, "request body is larger than " + MAX_INFER_BODY_BYTES + " bytes");
                return;
            }
            body = ComponentCodec.MAPPER.readTree(RequestReader.decodeUtf8(bytes));
        } catch (HttpProblem | java.io.IOException e) {
            plain(ctx, 400, "invalid request body: " + e.getMessage());
            return;
        }
        if (body == null || !body.isObject() || !body.path("prompt").isTextual()) {
            plain(ctx, 400, "invalid request body: expected {\"model\", \"prompt\", \"options\"} with a string prompt");
            return;
        }
        JsonNode options = body.path("options");
        int maxTokens = options.path("maxTokens").isIntegralNumber() ? options.path("maxTokens").intValue() : 100;
        double temperature = options.path("temperature").isNumber() ? options.path("temperature").doubleValue() : 0.8;
        if (maxTokens < 1 || maxTokens > 4096) {
            plain(ctx, 400, "options.maxTokens must be between 1 and 4096, got " + maxTokens);
            return;
        }
        try {
            InferResult result = helper.infer(body.get("prompt").asText(), maxTokens, temperature);
            ObjectNode out = ComponentCodec.MAPPER.createObjectNode();
            out.put("text", result.text());
            out.putObject("usage")
                    .put("promptTokenCount", result.promptTokens())
                    .put("generatedTokenCount", result.generatedTokens());
            json(ctx, out);
        } catch (ServiceUnavailableException e) {
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            plain(ctx, 503, e.getMessage());
        } catch (CrosswordException e) {
            plain(ctx, 400, e.getMessage());
        }
    }

    private static void plain(Context ctx, int status, String message) {
        ctx.attribute(ProblemMapper.KEEP_BODY, Boolean.TRUE);
        ctx.status(status).contentType("text/plain;charset=utf-8").result(message);
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
        suggestion(ctx, helper.suggest(reader.read(ctx)));
    }

    private void suggestGet(Context ctx) {
        suggestion(ctx, helper.suggest(reader.readQuery(ctx)));
    }

    private static void suggestion(Context ctx, SuggestResponse response) {
        ctx.header("X-Cache", response.cached() ? "HIT" : "MISS");
        json(ctx, ComponentCodec.suggestResponseJson(response));
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
