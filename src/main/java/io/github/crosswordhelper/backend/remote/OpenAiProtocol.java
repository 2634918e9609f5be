package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.backend.BackendRequest;

/**
 * OpenAI chat completions, {@code POST /v1/chat/completions}: the format OpenAI, llama.cpp's llama-server
 * and most other servers speak. With {@link RemoteConfig#llamaCppGrammar()} the prompt's GBNF grammar goes
 * in llama.cpp's {@code grammar} field; otherwise the answer schema goes in {@code response_format} (the two
 * must not be combined: llama-server rejects "Either json_schema or grammar can be specified, but not both").
 * Streamed responses are server-sent events, {@code data: {"choices":[{"delta":{"content":...}}]}}, ended
 * by {@code data: [DONE]}.
 */
final class OpenAiProtocol implements WireProtocol {

    static final double TOP_P = 0.9;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    @Override
    public String generatePath() {
        return "/v1/chat/completions";
    }

    @Override
    public String probePath() {
        return "/v1/models";
    }

    @Override
    public String accept(boolean streaming) {
        return streaming ? "text/event-stream" : "application/json";
    }

    @Override
    public ObjectNode requestBody(RemoteConfig config, BackendRequest request, ObjectMapper json) {
        var parameters = request.prompt().parameters();
        ObjectNode body = json.createObjectNode();
        body.put("model", config.model());
        WireProtocol.messages(body, request);
        body.put("max_tokens", parameters.maxTokens());
        body.put("temperature", parameters.temperature());
        body.put("top_p", TOP_P);
        if (!parameters.stop().isEmpty()) {
            var stop = body.putArray("stop");
            parameters.stop().forEach(stop::add);
        }
        body.put("stream", config.stream());
        request.seed().ifPresent(seed -> body.put("seed", seed));
        if (request.prompt().isRaw()) {
            // A raw prompt (POST /infer) carries no grammar and no schema.
        } else if (config.llamaCppGrammar()) {
            body.put("grammar", request.prompt().grammar());
        } else {
            ObjectNode format = body.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode schema = format.putObject("json_schema");
            schema.put("name", "answers");
            schema.set("schema", WireProtocol.schema(request, json));
            schema.put("strict", true);
        }
        return body;
    }

    @Override
    public void readResponse(ResponseStream body, boolean streaming, Reply reply) {
        if (streaming) {
            readEvents(body, reply);
        } else {
            JsonNode root = reply.parse(body.readAll(MAX_BODY, true));
            failOnError(root, reply);
            JsonNode content = root.path("choices").path(0).path("message").path("content");
            if (!content.isTextual()) {
                throw reply.missing("choices[0].message.content");
            }
            reply.out().append(content.asText());
            reply.out().finish();
            JsonNode completionTokens = root.path("usage").path("completion_tokens");
            if (completionTokens.canConvertToInt()) {
                reply.out().tokens(completionTokens.asInt());
            }
        }
    }

    private static void readEvents(ResponseStream body, Reply reply) {
        int deltas = 0;
        int usageTokens = -1;
        String line;
        while ((line = body.nextLine()) != null) {
            if (line.isEmpty() || line.startsWith(":")) {
                continue; // event separator or SSE comment (keep-alive)
            }
            if (!line.startsWith("data:")) {
                continue; // event:, id:, retry: fields carry nothing we use
            }
            String data = line.substring(5);
            if (data.startsWith(" ")) {
                data = data.substring(1);
            }
            if (data.strip().equals("[DONE]")) {
                body.cancel(); // nothing of interest can follow
                reply.out().finish();
                if (usageTokens >= 0) {
                    reply.out().tokens(usageTokens);
                } else if (deltas > 0) {
                    reply.out().tokens(deltas);
                }
                return;
            }
            JsonNode event = reply.parse(data);
            failOnError(event, reply);
            JsonNode tokens = event.path("usage").path("completion_tokens");
            if (tokens.canConvertToInt()) {
                usageTokens = tokens.asInt();
            }
            JsonNode choices = event.path("choices");
            if (!choices.isArray()) {
                throw reply.missing("choices in stream event");
            }
            if (choices.isEmpty()) {
                continue; // e.g. the usage-only event
            }
            JsonNode content = choices.path(0).path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                deltas++;
                reply.out().append(content.asText());
                if (usageTokens < 0) {
                    reply.out().tokens(deltas);
                }
            }
        }
        throw new BackendException("remote " + reply.name() + " stream ended before [DONE]: the response was cut off");
    }

    private static void failOnError(JsonNode root, Reply reply) {
        JsonNode error = root.path("error");
        if (error.isMissingNode() || error.isNull()) {
            if ("error".equals(root.path("object").asText(null)) && root.path("message").isTextual()) {
                throw reply.upstreamError(root.path("message").asText()); // vLLM's shape
            }
            return;
        }
        String message = error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
        throw reply.upstreamError(message);
    }
}
