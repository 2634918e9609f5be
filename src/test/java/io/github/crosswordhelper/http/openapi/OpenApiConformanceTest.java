package io.github.crosswordhelper.http.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.http.HttpApi;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The document itself: well formed, served as it is on the classpath, and describing routes that the real
 * server serves. The replies of the other HTTP tests are checked against it through {@code TestHttp}.
 */
class OpenApiConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Routes the lead is adding now: while the server does not serve them yet (404), they are skipped. */
    private static final Set<String> NOT_YET_SERVED_OK = Set.of("/openapi.json", "/metrics");

    private static CrosswordHelper helper;
    private static Javalin app;

    @BeforeAll
    static void start() throws InterruptedException {
        helper = CrosswordHelper.builder().build();
        app = HttpApi.create(helper).start("127.0.0.1", 0);
        BackendContractTest.awaitReady(helper, "thesaurus");
    }

    @AfterAll
    static void stop() {
        app.stop();
        helper.close();
    }

    @Test
    void should_serve_the_classpath_document_at_openapi_json() throws IOException {
        HttpResponse<String> r = send("GET", "/openapi.json", null, null);
        Assumptions.assumeFalse(r.statusCode() == 404, "GET /openapi.json is not served yet");
        OpenApiContract.check("GET", "/openapi.json", r.statusCode(), r.headers(), r.body());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode served = MAPPER.readTree(r.body());
        assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(served).isEqualTo(OpenApiContract.document());
    }

    @Test
    void should_be_an_openapi_3_1_document() {
        JsonNode doc = OpenApiContract.document();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("crossword-helper");
        assertThat(doc.path("info").path("version").asText()).isEqualTo("0.1.0");
        assertThat(doc.path("info").path("license").path("identifier").asText()).isEqualTo("Apache-2.0");
        assertThat(doc.path("paths").size()).isPositive();
    }

    @Test
    void should_resolve_every_ref() {
        List<String> refs = new ArrayList<>();
        collectRefs(OpenApiContract.document(), "", refs);
        assertThat(refs).isNotEmpty();
        List<String> broken = new ArrayList<>();
        for (String ref : refs) {
            String target = ref.substring(ref.indexOf(" -> ") + 4);
            if (!target.startsWith("#") || OpenApiContract.document().at(target.substring(1)).isMissingNode()) {
                broken.add(ref);
            }
        }
        assertThat(broken).as("refs that do not resolve").isEmpty();
    }

    @Test
    void should_give_every_operation_a_unique_id_and_at_least_one_response() {
        Set<String> ids = new HashSet<>();
        forEachOperation((path, method, op) -> {
            String name = method.toUpperCase() + " " + path;
            assertThat(op.path("responses").size()).as(name + " responses").isPositive();
            assertThat(op.path("operationId").asText()).as(name + " operationId").isNotBlank();
            assertThat(ids.add(op.path("operationId").asText())).as(name + " operationId is unique").isTrue();
            op.path("responses").fields().forEachRemaining(e -> {
                String pointer = OpenApiContract.resolvePointer("/paths/" + OpenApiContract.escape(path) + "/" + method
                        + "/responses/" + OpenApiContract.escape(e.getKey()));
                assertThat(OpenApiContract.document().at(pointer).path("description").isTextual())
                        .as(name + " -> " + e.getKey() + " has a description").isTrue();
            });
        });
    }

    @Test
    void should_compile_every_schema_and_match_its_own_examples() {
        JsonNode schemas = OpenApiContract.document().path("components").path("schemas");
        schemas.fieldNames().forEachRemaining(name ->
                // Compiling resolves every ref inside; the result on a string does not matter.
                OpenApiContract.errors("/components/schemas/" + OpenApiContract.escape(name), MAPPER.getNodeFactory().textNode("x")));
        forEachOperation((path, method, op) -> {
            String opPointer = "/paths/" + OpenApiContract.escape(path) + "/" + method;
            op.path("requestBody").path("content").fields().forEachRemaining(e -> {
                if (e.getValue().has("example")) {
                    String media = opPointer + "/requestBody/content/" + OpenApiContract.escape(e.getKey());
                    assertThat(OpenApiContract.errors(media + "/schema", e.getValue().get("example")))
                            .as(method.toUpperCase() + " " + path + " request example").isEmpty();
                }
            });
            int i = 0;
            for (JsonNode p : op.path("parameters")) {
                String pointer = OpenApiContract.resolvePointer(opPointer + "/parameters/" + i++);
                JsonNode param = OpenApiContract.document().at(pointer);
                if (param.path("required").asBoolean(false)) {
                    assertThat(param.has("example")).as(method + " " + path + " required parameter "
                            + param.path("name").asText() + " has an example").isTrue();
                }
                if (param.has("example")) {
                    assertThat(OpenApiContract.errors(pointer + "/schema", param.get("example")))
                            .as(method + " " + path + " parameter " + param.path("name").asText() + " example").isEmpty();
                }
            }
        });
    }

    /**
     * Every documented operation, sent with its required parameters' examples and its request body's example,
     * gets a status that the document declares for it (the contract check fails on any other).
     */
    @Test
    void should_serve_every_documented_operation() {
        List<String> skipped = new ArrayList<>();
        List<String> served = new ArrayList<>();
        forEachOperation((path, method, op) -> {
            String target = path + query(op, "/paths/" + OpenApiContract.escape(path) + "/" + method);
            String contentType = null;
            String body = null;
            Iterator<Map.Entry<String, JsonNode>> content = op.path("requestBody").path("content").fields();
            if (content.hasNext()) {
                Map.Entry<String, JsonNode> first = content.next();
                contentType = first.getKey();
                assertThat(first.getValue().has("example")).as(method + " " + path + " has a request example").isTrue();
                body = first.getValue().get("example").toString();
            }
            HttpResponse<String> r = send(method.toUpperCase(), target, contentType, body);
            if (r.statusCode() == 404 && NOT_YET_SERVED_OK.contains(path)) {
                skipped.add(method.toUpperCase() + " " + path);
                return;
            }
            assertThat(r.statusCode()).as(method.toUpperCase() + " " + target + ": " + r.body()).isNotIn(404, 405);
            OpenApiContract.check(method.toUpperCase(), target, r.statusCode(), r.headers(), r.body());
            served.add(method.toUpperCase() + " " + path + " -> " + r.statusCode());
        });
        System.out.println("OpenAPI: served " + served + (skipped.isEmpty() ? "" : "; not served yet: " + skipped));
        assertThat(served).isNotEmpty();
    }

    /** The document's info promises a 405 problem for a method it does not list on a listed path. */
    @Test
    void should_refuse_undocumented_methods_on_documented_api_paths() {
        JsonNode paths = OpenApiContract.document().path("paths");
        paths.fieldNames().forEachRemaining(path -> {
            if (!path.startsWith("/api/") && !path.equals("/infer")) {
                return;
            }
            for (String method : List.of("put", "delete", "patch")) {
                if (!paths.path(path).has(method)) {
                    HttpResponse<String> r = send(method.toUpperCase(), path, null, null);
                    OpenApiContract.check(method.toUpperCase(), path, r.statusCode(), r.headers(), r.body());
                }
            }
        });
    }

    @Test
    void should_refuse_an_undocumented_path_with_a_404_problem() {
        HttpResponse<String> r = send("GET", "/api/v1/no-such-thing", null, null);
        OpenApiContract.check("GET", "/api/v1/no-such-thing", r.statusCode(), r.headers(), r.body());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------------------

    private interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    private static void forEachOperation(OperationVisitor visitor) {
        JsonNode paths = OpenApiContract.document().path("paths");
        paths.fields().forEachRemaining(e -> {
            for (String method : METHODS) {
                if (e.getValue().has(method)) {
                    visitor.visit(e.getKey(), method, e.getValue().get(method));
                }
            }
        });
    }

    /** The required query parameters, with their examples. */
    private static String query(JsonNode op, String opPointer) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (JsonNode ignored : op.path("parameters")) {
            JsonNode param = OpenApiContract.document().at(OpenApiContract.resolvePointer(opPointer + "/parameters/" + i++));
            if (param.path("in").asText().equals("query") && param.path("required").asBoolean(false)) {
                sb.append(sb.length() == 0 ? "?" : "&").append(param.path("name").asText()).append('=')
                        .append(URLEncoder.encode(param.path("example").asText(), StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    private static void collectRefs(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                    out.add(at + " -> " + e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), at + "/" + OpenApiContract.escape(e.getKey()), out);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectRefs(node.get(i), at + "/" + i, out);
            }
        }
    }

    private static HttpResponse<String> send(String method, String target, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + target))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
