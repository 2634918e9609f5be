package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.backend.BackendRequest;

/**
 * Spin's remote_http LLM protocol, as Spin's {@code llm-remote-http} crate sends it and the Fermyon Cloud
 * GPU proxy serves it: {@code POST /infer} with {@code authorization: bearer <token>} and
 * {@code {"model","prompt","options":{maxTokens, repeatPenalty, repeatPenaltyLastNTokenCount, temperature,
 * topK, topP}}}; the answer is {@code {"text","usage":{"promptTokenCount","generatedTokenCount"}}}, sent
 * with {@code content-type: text/html}. Errors are plain text (403 bad token, 400 anything else). No
 * streaming, no grammar: the prompt is the flat Llama-2-chat string.
 */
final class SpinProtocol implements WireProtocol {

    static final double REPEAT_PENALTY = 1.1;
    static final int REPEAT_PENALTY_LAST_N = 64;
    static final int TOP_K = 40;
    static final double TOP_P = 0.9;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    @Override
    public String generatePath() {
        return "/infer";
    }

    @Override
    public String probePath() {
        return null;
    }

    @Override
    public String authorizationHeader() {
        return "authorization";
    }

    @Override
    public String authorizationScheme() {
        return "bearer "; // the proxy compares the header with `bearer ${auth_token}` exactly
    }

    @Override
    public boolean streams(RemoteConfig config) {
        return false;
    }

    @Override
    public String accept(boolean streaming) {
        return "*/*";
    }

    @Override
    public ObjectNode requestBody(RemoteConfig config, BackendRequest request, ObjectMapper json) {
        var parameters = request.prompt().parameters();
        ObjectNode body = json.createObjectNode();
        body.put("model", config.model());
        body.put("prompt", request.prompt().flatPrompt());
        ObjectNode options = body.putObject("options");
        options.put("maxTokens", parameters.maxTokens());
        options.put("repeatPenalty", REPEAT_PENALTY);
        options.put("repeatPenaltyLastNTokenCount", REPEAT_PENALTY_LAST_N);
        options.put("temperature", parameters.temperature());
        options.put("topK", TOP_K);
        options.put("topP", TOP_P);
        return body;
    }

    @Override
    public void readResponse(ResponseStream body, boolean streaming, Reply reply) {
        JsonNode root = reply.parse(body.readAll(MAX_BODY, true));
        if (!root.isObject()) {
            throw reply.missing("text");
        }
        JsonNode text = root.path("text");
        if (!text.isTextual()) {
            throw reply.missing("text");
        }
        reply.out().append(text.asText());
        reply.out().finish();
        JsonNode generated = root.path("usage").path("generatedTokenCount");
        if (generated.canConvertToInt()) {
            reply.out().tokens(generated.asInt());
        }
    }
}
