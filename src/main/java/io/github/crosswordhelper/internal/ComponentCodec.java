package io.github.crosswordhelper.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.crosswordhelper.ChatMessage;
import io.github.crosswordhelper.ClueKind;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.ComponentException;
import io.github.crosswordhelper.GenerationParameters;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.Rejection;
import io.github.crosswordhelper.SuggestResponse;
import io.github.crosswordhelper.Suggestion;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns requests into component input and component output into records. Guest output is untrusted: any
 * shape other than the documented one becomes a {@link ComponentException}, never a partial record.
 */
public final class ComponentCodec {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ComponentCodec() {}

    /** The clue-parser's input for a request. */
    public static String parseInput(ClueRequest request) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("clue", request.clue());
        if (request.pattern() == null) {
            node.putNull("pattern");
        } else {
            node.put("pattern", request.pattern());
        }
        if (request.count() == null) {
            node.putNull("count");
        } else {
            node.put("count", request.count());
        }
        return node.toString();
    }

    /**
     * Reads the clue-parser's output.
     *
     * @throws InvalidRequestException when the parser rejected the request
     * @throws ComponentException when the output breaks the contract
     */
    public static ParsedClue parsedClue(String component, String json) {
        JsonNode root = readObject(component, json);
        rejectIfError(component, root);
        try {
            List<Integer> enumeration = new ArrayList<>();
            for (JsonNode n : array(root, "enumeration")) {
                enumeration.add(intValue(n, "enumeration[]"));
            }
            JsonNode length = field(root, "length");
            JsonNode pattern = field(root, "pattern");
            List<String> quoted = new ArrayList<>();
            for (JsonNode n : array(root, "quoted")) {
                quoted.add(text(n, "quoted[]"));
            }
            return new ParsedClue(
                    text(field(root, "text"), "text"),
                    enumeration,
                    length.isNull() ? null : intValue(length, "length"),
                    pattern.isNull() ? null : text(pattern, "pattern"),
                    intValue(field(root, "count"), "count"),
                    ClueKind.fromWireName(text(field(root, "kind"), "kind")),
                    quoted);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ComponentException(component, "returned a parse result that breaks the contract: " + e.getMessage(), e);
        }
    }

    /** The prompt-builder's input: the parsed clue in the clue-parser's own output shape. */
    public static String promptInput(ParsedClue clue) {
        return parsedClueJson(clue).toString();
    }

    /** A parsed clue as the API shows it; the same shape the clue-parser returns. */
    public static ObjectNode parsedClueJson(ParsedClue clue) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("text", clue.text());
        ArrayNode enumeration = node.putArray("enumeration");
        clue.enumeration().forEach(enumeration::add);
        if (clue.length() == null) {
            node.putNull("length");
        } else {
            node.put("length", clue.length());
        }
        if (clue.pattern() == null) {
            node.putNull("pattern");
        } else {
            node.put("pattern", clue.pattern());
        }
        node.put("count", clue.count());
        node.put("kind", clue.kind().wireName());
        ArrayNode quoted = node.putArray("quoted");
        clue.quoted().forEach(quoted::add);
        return node;
    }

    /**
     * Reads the prompt-builder's output.
     *
     * @throws ComponentException when the builder reported an error or the output breaks the contract
     */
    public static Prompt prompt(String component, String json) {
        JsonNode root = readObject(component, json);
        if (root.has("error")) {
            throw new ComponentException(component, "rejected a parsed clue: " + root.get("error"));
        }
        try {
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : array(root, "messages")) {
                messages.add(new ChatMessage(text(field(m, "role"), "role"), text(field(m, "content"), "content")));
            }
            JsonNode params = field(root, "parameters");
            List<String> stop = new ArrayList<>();
            for (JsonNode s : array(params, "stop")) {
                stop.add(text(s, "stop[]"));
            }
            JsonNode temperature = field(params, "temperature");
            if (!temperature.isNumber()) {
                throw new IllegalArgumentException("parameters.temperature is not a number");
            }
            JsonNode schema = field(root, "schema");
            if (!schema.isObject()) {
                throw new IllegalArgumentException("schema is not an object");
            }
            return new Prompt(
                    messages,
                    text(field(root, "prompt"), "prompt"),
                    text(field(root, "grammar"), "grammar"),
                    new GenerationParameters(
                            intValue(field(params, "maxTokens"), "parameters.maxTokens"), stop, temperature.asDouble()),
                    schema.toString());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ComponentException(component, "returned a prompt that breaks the contract: " + e.getMessage(), e);
        }
    }

    /** A prompt as the API shows it. */
    public static ObjectNode promptJson(ParsedClue clue, Prompt prompt) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("clue", parsedClueJson(clue));
        ArrayNode messages = node.putArray("messages");
        for (ChatMessage m : prompt.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        node.put("prompt", prompt.flatPrompt());
        node.put("grammar", prompt.grammar());
        ObjectNode params = node.putObject("parameters");
        params.put("maxTokens", prompt.parameters().maxTokens());
        ArrayNode stop = params.putArray("stop");
        prompt.parameters().stop().forEach(stop::add);
        params.put("temperature", prompt.parameters().temperature());
        try {
            node.set("schema", MAPPER.readTree(prompt.schemaJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schema was validated when the prompt was read", e);
        }
        return node;
    }

    /** A suggestion response as the API shows it. */
    public static ObjectNode suggestResponseJson(SuggestResponse r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.set("clue", parsedClueJson(r.clue()));
        ArrayNode suggestions = node.putArray("suggestions");
        r.suggestions().forEach(s -> suggestions.add(suggestionJson(s)));
        ArrayNode rejected = node.putArray("rejected");
        r.rejected().forEach(x -> rejected.add(rejectionJson(x)));
        node.putObject("backend").put("name", r.backend().name()).put("model", r.backend().model());
        node.putObject("timings")
                .put("parseMs", r.timings().parseMs())
                .put("promptMs", r.timings().promptMs())
                .put("backendMs", r.timings().backendMs())
                .put("totalMs", r.timings().totalMs());
        return node;
    }

    public static ObjectNode suggestionJson(Suggestion s) {
        return MAPPER.createObjectNode()
                .put("answer", s.answer())
                .put("display", s.display())
                .put("score", Math.round(s.score() * 1000) / 1000.0)
                .put("source", s.source());
    }

    public static ObjectNode rejectionJson(Rejection r) {
        return MAPPER.createObjectNode().put("answer", r.answer()).put("reason", r.reason());
    }

    private static JsonNode readObject(String component, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ComponentException(component, "returned invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ComponentException(component, "returned JSON that is not an object");
        }
        return root;
    }

    private static void rejectIfError(String component, JsonNode root) {
        JsonNode error = root.get("error");
        if (error == null) {
            return;
        }
        JsonNode field = error.get("field");
        JsonNode detail = error.get("detail");
        if (field == null || !field.isTextual() || detail == null || !detail.isTextual()) {
            throw new ComponentException(component, "returned a malformed error: " + error);
        }
        throw new InvalidRequestException(field.asText(), detail.asText());
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return value;
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new IllegalArgumentException("field '" + name + "' is not an array");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' is not a string");
        }
        return node.asText();
    }

    private static int intValue(JsonNode node, String name) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("'" + name + "' is not an integer");
        }
        return node.intValue();
    }
}
