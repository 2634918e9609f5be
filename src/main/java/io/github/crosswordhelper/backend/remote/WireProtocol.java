package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.backend.BackendRequest;

/** One remote protocol's request shape and response parsing. Implementations are stateless. */
interface WireProtocol {

    /** The path, appended to the base URL, that generation requests go to. */
    String generatePath();

    /** The path of a cheap GET that shows the server is up, or {@code null} when the protocol has none. */
    String probePath();

    /** The {@code Authorization} header's name and value prefix: {@code Bearer } or Spin's {@code bearer }. */
    default String authorizationHeader() {
        return "Authorization";
    }

    default String authorizationScheme() {
        return "Bearer ";
    }

    /** Whether this request is streamed, given the configuration. */
    default boolean streams(RemoteConfig config) {
        return config.stream();
    }

    /** The {@code Accept} header for the response. */
    String accept(boolean streaming);

    /** The JSON request body. */
    ObjectNode requestBody(RemoteConfig config, BackendRequest request, ObjectMapper json);

    /**
     * Reads a 2xx response to the end, sending content to {@code out}.
     *
     * @throws BackendException when the response is broken or reports an error
     */
    void readResponse(ResponseStream body, boolean streaming, Reply reply);

    /** What a protocol needs while reading a response. Not a record: it holds the key, for redaction. */
    final class Reply {
        private final String name;
        private final ObjectMapper json;
        private final AnswerText out;
        private final String apiKey;

        Reply(String name, ObjectMapper json, AnswerText out, String apiKey) {
            this.name = name;
            this.json = json;
            this.out = out;
            this.apiKey = apiKey;
        }

        String name() {
            return name;
        }

        AnswerText out() {
            return out;
        }

        /** Parses one JSON document, or fails with "remote returned invalid JSON". */
        JsonNode parse(String text) {
            try {
                JsonNode node = json.readTree(text);
                if (node == null || node.isMissingNode()) {
                    throw new BackendException("remote " + name + " returned invalid JSON: empty body");
                }
                return node;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BackendException("remote " + name + " returned invalid JSON: "
                        + Redaction.clean(e.getOriginalMessage(), apiKey) + " in: " + Redaction.clean(text, apiKey));
            }
        }

        BackendException missing(String field) {
            return new BackendException("remote " + name + " returned a response with missing field " + field);
        }

        /** An error the upstream reported in the body of a successful response or mid-stream. */
        BackendException upstreamError(String message) {
            return new BackendException("remote " + name + " reported an error: " + Redaction.clean(message, apiKey));
        }

        @Override
        public String toString() {
            return "Reply[" + name + "]";
        }
    }

    /** The common parameters every protocol reads from the prompt. */
    static ObjectNode messages(ObjectNode body, BackendRequest request) {
        var array = body.putArray("messages");
        if (request.prompt().messages().isEmpty()) {
            array.addObject().put("role", "user").put("content", request.prompt().flatPrompt());
        }
        for (var message : request.prompt().messages()) {
            array.addObject().put("role", message.role()).put("content", message.content());
        }
        return body;
    }

    /** The prompt's JSON Schema as a tree, or a BackendException when the prompt builder made a broken one. */
    static JsonNode schema(BackendRequest request, ObjectMapper json) {
        try {
            JsonNode schema = json.readTree(request.prompt().schemaJson());
            if (schema == null || !schema.isObject()) {
                throw new BackendException("the prompt's answer schema is not a JSON object");
            }
            return schema;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BackendException("the prompt's answer schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The error message in a non-2xx body: OpenAI's {@code {"error":{"message":...}}}, Ollama's
     * {@code {"error":"..."}}, a {@code {"message":...}}, or the plain text itself.
     */
    static String errorMessage(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = json.readTree(trimmed);
                JsonNode error = node.path("error");
                if (error.isTextual()) {
                    return error.asText();
                }
                if (error.path("message").isTextual()) {
                    return error.path("message").asText();
                }
                if (node.path("message").isTextual()) {
                    return node.path("message").asText();
                }
                if (node.path("detail").isTextual()) {
                    return node.path("detail").asText();
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // not JSON after all: use the text
            }
        }
        return trimmed;
    }
}
