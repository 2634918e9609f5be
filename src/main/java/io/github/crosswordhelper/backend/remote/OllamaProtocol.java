package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.backend.BackendRequest;

/**
 * Ollama's {@code POST /api/chat}: the answer schema goes in {@code format}, sampling settings in
 * {@code options}. Streamed responses are NDJSON, one {@code {"message":{"content":...},"done":false}} per
 * line and a last line with {@code "done":true} and {@code eval_count}; an {@code {"error":"..."}} line can
 * arrive mid-stream, after the 200 status was sent.
 */
final class OllamaProtocol implements WireProtocol {

    static final int TOP_K = 40;
    static final double TOP_P = 0.9;
    static final double REPEAT_PENALTY = 1.1;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    @Override
    public String generatePath() {
        return "/api/chat";
    }

    @Override
    public String probePath() {
        return "/api/tags";
    }

    @Override
    public String accept(boolean streaming) {
        return streaming ? "application/x-ndjson" : "application/json";
    }

    @Override
    public ObjectNode requestBody(RemoteConfig config, BackendRequest request, ObjectMapper json) {
        var parameters = request.prompt().parameters();
        ObjectNode body = json.createObjectNode();
        body.put("model", config.model());
        WireProtocol.messages(body, request);
        body.put("stream", config.stream());
        if (!request.prompt().isRaw()) {
            body.set("format", WireProtocol.schema(request, json));
        }
        ObjectNode options = body.putObject("options");
        options.put("num_predict", parameters.maxTokens());
        options.put("temperature", parameters.temperature());
        options.put("top_k", TOP_K);
        options.put("top_p", TOP_P);
        options.put("repeat_penalty", REPEAT_PENALTY);
        request.seed().ifPresent(seed -> options.put("seed", seed));
        if (!parameters.stop().isEmpty()) {
            var stop = options.putArray("stop");
            parameters.stop().forEach(stop::add);
        }
        return body;
    }

    @Override
    public void readResponse(ResponseStream body, boolean streaming, Reply reply) {
        if (!streaming) {
            JsonNode root = reply.parse(body.readAll(MAX_BODY, true));
            failOnError(root, reply);
            JsonNode content = root.path("message").path("content");
            if (!content.isTextual()) {
                throw reply.missing("message.content");
            }
            reply.out().append(content.asText());
            reply.out().finish();
            if (root.path("eval_count").canConvertToInt()) {
                reply.out().tokens(root.path("eval_count").asInt());
            }
            return;
        }
        int chunks = 0;
        String line;
        while ((line = body.nextLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode chunk = reply.parse(line);
            failOnError(chunk, reply);
            JsonNode content = chunk.path("message").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                chunks++;
                reply.out().append(content.asText());
                reply.out().tokens(chunks);
            }
            if (chunk.path("done").asBoolean(false)) {
                body.cancel();
                reply.out().finish();
                if (chunk.path("eval_count").canConvertToInt()) {
                    reply.out().tokens(chunk.path("eval_count").asInt());
                }
                return;
            }
        }
        throw new BackendException(
                "remote " + reply.name() + " stream ended before \"done\":true: the response was cut off");
    }

    private static void failOnError(JsonNode root, Reply reply) {
        JsonNode error = root.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            throw reply.upstreamError(error.isTextual() ? error.asText() : error.toString());
        }
    }
}
