package io.github.crosswordhelper.http.openapi;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself: it lets a conforming reply through and stops each kind of drift, with a clear message. */
class OpenApiContractTest {
    private static final String PARSED = "{\"text\":\"Dog\",\"enumeration\":[3],\"length\":3,\"pattern\":null,"
            + "\"count\":5,\"kind\":\"definition\",\"quoted\":[]}";
    private static final String PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Invalid request\",\"status\":400,"
            + "\"detail\":\"clue is required\",\"field\":\"clue\"}";
    private static final String SUGGEST = "{\"clue\":" + PARSED + ",\"suggestions\":[{\"answer\":\"CUR\",\"display\":\"cur\","
            + "\"score\":0.9,\"source\":\"kind of dog\"}],\"rejected\":[],\"backend\":{\"name\":\"thesaurus\",\"model\":null},"
            + "\"timings\":{\"parseMs\":1.0,\"promptMs\":0.0,\"backendMs\":2.5,\"totalMs\":3.5}}";

    private static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("X-Request-Id", List.of("0b5f1a3e-5d2c-4c1e-9a57-3c0e6f1d2a4b"));
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void should_pass_conforming_replies() {
        assertThatCode(() -> {
            OpenApiContract.check("POST", "/api/v1/clues/parse", 200, headers("content-type", "application/json"), PARSED);
            OpenApiContract.check("post", "/api/v1/clues/parse", 400,
                    headers("content-type", "application/problem+json;charset=utf-8"), PROBLEM);
            OpenApiContract.check("GET", "/api/v1/suggestions?clue=Dog%20(3)", 200,
                    headers("content-type", "application/json", "X-Cache", "HIT"), SUGGEST);
            OpenApiContract.check("GET", "/metrics", 200,
                    headers("content-type", "text/plain; version=0.0.4; charset=utf-8"), "# HELP x\n");
            OpenApiContract.check("GET", "/nope", 404, headers("content-type", "application/problem+json"),
                    PROBLEM.replace("400", "404"));
            OpenApiContract.checkEvents("GET", "/api/v1/suggestions/stream?clue=Dog", 200,
                    headers("content-type", "text/event-stream;charset=utf-8"),
                    List.of(Map.entry("rejected", "{\"answer\":\"CAT\",\"reason\":\"not a dog\"}"), Map.entry("done", SUGGEST)));
        }).doesNotThrowAnyException();
    }

    @Test
    void should_fail_an_undocumented_status_path_or_method() {
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/api/v1/words?pattern=X", 418,
                headers("content-type", "application/json"), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("GET /api/v1/words -> 418 is not in openapi.json");
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/api/v1/x", 200, headers("content-type", "application/json"), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("GET /api/v1/x -> 200 is not in openapi.json");
        assertThatThrownBy(() -> OpenApiContract.check("DELETE", "/api/v1/words", 200, headers("content-type", "application/json"), "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("has no DELETE for /api/v1/words");
    }

    @Test
    void should_fail_an_undeclared_content_type() {
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/clues/parse", 400,
                headers("content-type", "application/json"), PROBLEM))
                .isInstanceOf(AssertionError.class).hasMessageContaining("content type 'application/json'");
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/metrics", 200, headers("content-type", "text/plain"), ""))
                .isInstanceOf(AssertionError.class).hasMessageContaining("version=0.0.4");
    }

    @Test
    void should_fail_a_body_that_breaks_the_schema() {
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/clues/parse", 200,
                headers("content-type", "application/json"), PARSED.replace("\"quoted\":[]", "\"quoted\":[],\"extra\":1")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("extra");
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/clues/parse", 200,
                headers("content-type", "application/json"), PARSED.replace("definition", "riddle")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("/kind");
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/clues/parse", 200,
                headers("content-type", "application/json"), PARSED.replace(",\"length\":3", "")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("length");
        assertThatThrownBy(() -> OpenApiContract.check("POST", "/api/v1/clues/parse", 200,
                headers("content-type", "application/json"), "not json"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not JSON");
    }

    @Test
    void should_fail_a_missing_or_wrong_header() {
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/api/v1/suggestions?clue=Dog", 200,
                headers("content-type", "application/json"), SUGGEST))
                .isInstanceOf(AssertionError.class).hasMessageContaining("lacks the required header X-Cache");
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/api/v1/suggestions?clue=Dog", 200,
                headers("content-type", "application/json", "X-Cache", "MAYBE"), SUGGEST))
                .isInstanceOf(AssertionError.class).hasMessageContaining("header X-Cache");
        assertThatThrownBy(() -> OpenApiContract.check("GET", "/api/v1/words?pattern=X", 503,
                headers("content-type", "application/problem+json"), PROBLEM.replace("400", "503")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("lacks the required header Retry-After");
    }

    @Test
    void should_fail_an_unknown_or_broken_event() {
        HttpHeaders sse = headers("content-type", "text/event-stream;charset=utf-8");
        assertThatThrownBy(() -> OpenApiContract.checkEvents("GET", "/api/v1/suggestions/stream", 200, sse,
                List.of(Map.entry("progress", "{}"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("event 'progress' that is not in x-events");
        assertThatThrownBy(() -> OpenApiContract.checkEvents("GET", "/api/v1/suggestions/stream", 200, sse,
                List.of(Map.entry("suggestion", "{\"answer\":\"CUR\"}"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("event 'suggestion' does not match");
    }
}
