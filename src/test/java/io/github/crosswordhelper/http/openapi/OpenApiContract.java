package io.github.crosswordhelper.http.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The HTTP contract in {@code src/main/resources/openapi.json}, checked against real replies.
 *
 * <p>A reply is matched to an operation by its path (query string stripped; a literal path in the document
 * wins over a templated one such as {@code /a/{id}}) and its method, then to a response by its status code (or
 * {@code default}). Its content type must be one the response declares (the base type, plus any parameter
 * other than charset that the document names, e.g. {@code version=0.0.4}); a JSON body ({@code
 * application/json}, {@code application/problem+json}, any {@code +json}) must validate against the
 * schema there, resolved against the whole document (OpenAPI 3.1's dialect of JSON Schema 2020-12); required headers must be present
 * and every declared header that is present must match its schema. Server-sent events are validated one by one
 * against the schemas that the media type's {@code x-events} map names per event.
 *
 * <p>Two replies need no operation, as the document's info says: a path that the document does not list must
 * answer 404 with a problem ({@code components/responses/NotFound}), and a method that it does not list for a
 * listed path must answer 405 with a problem ({@code components/responses/MethodNotAllowed}). Anything else
 * that is not documented fails with an {@link AssertionError} such as {@code GET /api/v1/x -> 418 is not in
 * openapi.json}.
 *
 * <p>Thread-safe; the document is read once from the classpath.
 */
public final class OpenApiContract {

    /** Where the document is on the classpath (and served). */
    public static final String RESOURCE = "/openapi.json";

    /** The base IRI the document is registered under, so that its {@code #/components/...} refs resolve. */
    private static final String BASE = "https://crossword-helper.invalid/openapi.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private static final String TEXT = readResource();
    private static final JsonNode DOC = parse(TEXT);
    /**
     * OpenAPI 3.1's schema dialect (JSON Schema 2020-12 plus the OAS vocabulary: discriminator, example, ...).
     * The document's own top-level fields are registered as non-validating keywords: the whole document is
     * loaded as one schema resource so that its {@code #/components/...} refs resolve.
     */
    private static final Dialect DIALECT = Dialect.builder(Dialects.getOpenApi31())
            .keywords(Stream.of("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components",
                    "security", "tags", "externalDocs").map(NonValidationKeyword::new).toList())
            .build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DIALECT, b -> b.schemas(Map.of(BASE, TEXT)));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final List<PathTemplate> TEMPLATES = templates();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private OpenApiContract() {}

    /** The document as parsed from the classpath. */
    public static JsonNode document() {
        return DOC;
    }

    /** Every {@code "METHOD template -> status"} that a checked reply has matched so far in this JVM. */
    public static Set<String> seen() {
        return new TreeSet<>(SEEN);
    }

    /** Every {@code "METHOD template -> status"} the document declares (without {@code default}). */
    public static Set<String> declared() {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = DOC.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    op.path("responses").fieldNames().forEachRemaining(status ->
                            out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey() + " -> " + status));
                }
            }
        }
        return out;
    }

    /**
     * Checks one reply.
     *
     * @param method the request method, any case
     * @param target the request target: path and optional query string
     * @param headers the reply's headers (content type, Retry-After, X-Cache, ...)
     * @param body the reply's body as text
     * @throws AssertionError naming the operation and what does not match
     */
    public static void check(String method, String target, int status, HttpHeaders headers, String body) {
        Matched m = match(method, target, status);
        String contentType = headers.firstValue("content-type").orElse("");
        checkHeaders(m, headers);
        JsonNode content = m.response().get("content");
        if (content == null || content.isEmpty()) {
            if (!body.isEmpty()) {
                throw fail(m, "has a body (" + contentType + ") but the document declares no content");
            }
            return;
        }
        String media = mediaType(m, content, contentType);
        if (isJson(media)) {
            JsonNode node;
            try {
                node = MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw fail(m, "is declared as " + media + " but its body is not JSON: " + abbreviate(body));
            }
            validate(m, m.pointer() + "/content/" + escape(media) + "/schema", node, "body");
        }
    }

    /**
     * Checks an event stream's reply and each of its events: their names must be keys of the media type's
     * {@code x-events}, and their data JSON that validates against the schema there.
     */
    public static void checkEvents(String method, String target, int status, HttpHeaders headers,
            List<Map.Entry<String, String>> events) {
        Matched m = match(method, target, status);
        String contentType = headers.firstValue("content-type").orElse("");
        checkHeaders(m, headers);
        String media = mediaType(m, m.response().path("content"), contentType);
        String eventsPointer = m.pointer() + "/content/" + escape(media) + "/x-events";
        JsonNode declared = DOC.at(eventsPointer);
        if (!declared.isObject()) {
            throw fail(m, "is an event stream (" + media + ") but its media type declares no x-events");
        }
        for (Map.Entry<String, String> event : events) {
            String name = event.getKey();
            if (name == null || !declared.has(name)) {
                throw fail(m, "sent an event '" + name + "' that is not in x-events " + fieldNames(declared));
            }
            JsonNode data;
            try {
                data = MAPPER.readTree(event.getValue());
            } catch (JsonProcessingException e) {
                throw fail(m, "sent an event '" + name + "' whose data is not JSON: " + abbreviate(event.getValue()));
            }
            validate(m, eventsPointer + "/" + escape(name), data, "event '" + name + "'");
        }
    }

    /** Validates a JSON value against the schema at a JSON pointer into the document; returns the errors. */
    public static List<String> errors(String pointer, JsonNode value) {
        Schema schema = SCHEMAS.computeIfAbsent(pointer,
                p -> REGISTRY.getSchema(SchemaLocation.of(BASE + "#" + p)));
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(value)) {
            out.add(e.toString());
        }
        return out;
    }

    /** The document path (template) that a request path matches, if any. */
    public static Optional<String> template(String path) {
        for (PathTemplate t : TEMPLATES) {
            if (t.regex().matcher(path).matches()) {
                return Optional.of(t.template());
            }
        }
        return Optional.empty();
    }

    /** Resolves a local {@code $ref} ({@code #/a/b}) to its JSON pointer, following refs to refs. */
    public static String resolvePointer(String pointer) {
        String p = pointer;
        for (int hops = 0; hops < 20; hops++) {
            JsonNode node = DOC.at(p);
            if (node.isMissingNode()) {
                throw new AssertionError("openapi.json: " + pointer + " does not resolve (at " + p + ")");
            }
            JsonNode ref = node.get("$ref");
            if (ref == null || !node.isObject()) {
                return p;
            }
            String r = ref.asText();
            if (!r.startsWith("#")) {
                throw new AssertionError("openapi.json: only local refs are supported, got " + r + " at " + p);
            }
            p = r.substring(1);
        }
        throw new AssertionError("openapi.json: a $ref cycle at " + pointer);
    }

    /** {@code a/b~c} as a JSON pointer token: {@code a~1b~0c}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    // ------------------------------------------------------------------------------------------------------

    /** The matched operation's response: its resolved JSON pointer and node. */
    private record Matched(String label, String pointer, JsonNode response) {}

    private record PathTemplate(String template, Pattern regex, int literalChars) {}

    private static Matched match(String method, String target, int status) {
        String path = target;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        String verb = method.toUpperCase(Locale.ROOT);
        String label = verb + " " + path + " -> " + status;
        Optional<String> template = template(path);
        if (template.isEmpty()) {
            return fallback(label, verb + " " + path, status, 404, "NotFound", "no path in openapi.json matches " + path);
        }
        JsonNode op = DOC.path("paths").path(template.get()).get(verb.toLowerCase(Locale.ROOT));
        if (op == null) {
            return fallback(label, verb + " " + template.get(), status, 405, "MethodNotAllowed",
                    "openapi.json has no " + verb + " for " + template.get());
        }
        String opPointer = "/paths/" + escape(template.get()) + "/" + verb.toLowerCase(Locale.ROOT);
        JsonNode responses = op.path("responses");
        String code = responses.has(Integer.toString(status)) ? Integer.toString(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX"
                : responses.has("default") ? "default" : null;
        if (code == null) {
            throw new AssertionError(label + " is not in openapi.json (" + verb + " " + template.get()
                    + " declares " + fieldNames(responses) + ")");
        }
        SEEN.add(verb + " " + template.get() + " -> " + code);
        String pointer = resolvePointer(opPointer + "/responses/" + escape(code));
        return new Matched(verb + " " + template.get() + " -> " + status + " (" + pointer + ")", pointer, DOC.at(pointer));
    }

    private static Matched fallback(String label, String seen, int status, int expected, String response, String why) {
        if (status != expected) {
            throw new AssertionError(label + " is not in openapi.json: " + why + " (only a " + expected
                    + " problem is allowed there)");
        }
        SEEN.add(seen + " -> " + status);
        String pointer = resolvePointer("/components/responses/" + response);
        return new Matched(label + " (" + pointer + ")", pointer, DOC.at(pointer));
    }

    private static String mediaType(Matched m, JsonNode content, String contentType) {
        String actual = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Map<String, String> actualParams = params(contentType);
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String declared = it.next();
            String base = declared.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!base.equals(actual)) {
                continue;
            }
            boolean paramsMatch = params(declared).entrySet().stream()
                    .allMatch(p -> p.getValue().equals(actualParams.get(p.getKey())));
            if (paramsMatch) {
                return declared;
            }
        }
        throw fail(m, "has content type '" + contentType + "' but the document declares " + fieldNames(content));
    }

    /** A media type's parameters, lower-case names, quotes removed, without charset. */
    private static Map<String, String> params(String mediaType) {
        Map<String, String> out = new TreeMap<>();
        String[] parts = mediaType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).trim().replace("\"", "");
            if (!name.equals("charset")) {
                out.put(name, value);
            }
        }
        return out;
    }

    private static void checkHeaders(Matched m, HttpHeaders headers) {
        for (Iterator<Map.Entry<String, JsonNode>> it = m.response().path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.equalsIgnoreCase("content-type")) {
                continue; // ignored by OpenAPI
            }
            String pointer = resolvePointer(m.pointer() + "/headers/" + escape(name));
            JsonNode header = DOC.at(pointer);
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) {
                if (header.path("required").asBoolean(false)) {
                    throw fail(m, "lacks the required header " + name);
                }
                continue;
            }
            JsonNode schema = header.path("schema");
            JsonNode node = JsonNodeFactory.instance.textNode(value.get());
            if (schema.path("type").asText().equals("integer")) {
                try {
                    node = JsonNodeFactory.instance.numberNode(Long.parseLong(value.get().trim()));
                } catch (NumberFormatException e) {
                    throw fail(m, "has header " + name + ": " + value.get() + ", not an integer");
                }
            }
            validate(m, pointer + "/schema", node, "header " + name);
        }
    }

    private static void validate(Matched m, String pointer, JsonNode value, String what) {
        List<String> errors = errors(pointer, value);
        if (!errors.isEmpty()) {
            throw fail(m, what + " does not match openapi.json#" + pointer + ": " + errors + "\n  "
                    + what + ": " + abbreviate(value.toString()));
        }
    }

    private static boolean isJson(String media) {
        String base = media.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json");
    }

    private static AssertionError fail(Matched m, String message) {
        return new AssertionError(m.label() + " " + message);
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static List<PathTemplate> templates() {
        List<PathTemplate> out = new ArrayList<>();
        DOC.path("paths").fieldNames().forEachRemaining(t -> {
            StringBuilder regex = new StringBuilder();
            int literal = 0;
            for (String part : t.split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{") && part.endsWith("}")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(part));
                    literal += part.length();
                }
            }
            out.add(new PathTemplate(t, Pattern.compile(regex.toString()), literal));
        });
        // A literal path wins over a templated one: most literal characters first.
        out.sort((a, b) -> Integer.compare(b.literalChars(), a.literalChars()));
        return List.copyOf(out);
    }

    private static String readResource() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(RESOURCE + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
