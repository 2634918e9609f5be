package io.github.crosswordhelper.http;

import static io.github.crosswordhelper.http.TestHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.internal.ComponentCodec;
import io.javalin.Javalin;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Suggestions from the offline default (WordNet), through the real server. */
class SuggestionsApiTest {
    private static CrosswordHelper helper;
    private static Javalin app;
    private static TestHttp http;

    @BeforeAll
    static void start() throws InterruptedException {
        helper = CrosswordHelper.builder().build();
        app = HttpApi.create(helper).start("127.0.0.1", 0);
        http = new TestHttp(app.port());
        BackendContractTest.awaitReady(helper, "thesaurus");
    }

    @AfterAll
    static void stop() {
        app.stop();
        helper.close();
    }

    private static JsonNode ok(TestHttp.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode json(String s) {
        try {
            return ComponentCodec.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void should_suggest_real_five_letter_pinks_for_five_synonyms_for_pink() {
        JsonNode r = ok(http.get("/api/v1/suggestions" + query("clue", "Five synonyms for pink", "pattern", "?????")));
        JsonNode suggestions = r.get("suggestions");
        assertThat(suggestions).hasSizeBetween(1, 5);
        for (JsonNode s : suggestions) {
            assertThat(s.get("answer").asText()).hasSize(5).matches("[A-Z]+");
            assertThat(s.get("source").asText()).isNotBlank();
        }
        assertThat(suggestions).extracting(s -> s.get("answer").asText()).containsAnyOf("CORAL", "PEACH", "ROSY", "SALMON", "BLUSH");
        // The colour senses rank above the rare verb "pink" (to knock), which WordNet never tags in use.
        assertThat(suggestions.get(0).get("answer").asText()).isIn("CORAL", "PEACH", "ROSY", "BLUSH");
        assertThat(r.get("backend").get("name").asText()).isEqualTo("thesaurus");
        assertThat(r.get("clue").get("count").asInt()).isEqualTo(5);
        assertThat(r.get("timings").get("totalMs").asDouble()).isPositive();
    }

    @Test
    void should_answer_post_like_get() {
        JsonNode r = ok(http.postJson("/api/v1/suggestions",
                "{\"clue\":\"Large body of water (5)\",\"count\":3,\"exclude\":[\"lake\"]}"));
        assertThat(r.get("suggestions")).hasSizeBetween(1, 3);
        assertThat(r.get("suggestions").get(0).get("answer").asText()).isEqualTo("OCEAN");
        assertThat(r.get("rejected").isArray()).isTrue();
    }

    @Test
    void should_never_return_an_excluded_answer() {
        JsonNode r = ok(http.get("/api/v1/suggestions" + query("clue", "Large body of water (5)", "exclude", "ocean")));
        assertThat(r.get("suggestions")).extracting(s -> s.get("answer").asText()).doesNotContain("OCEAN");
    }

    @Test
    void should_stream_suggestions_then_done() {
        List<TestHttp.Event> events = http.events("/api/v1/suggestions/stream"
                + query("clue", "Shade of pink", "pattern", "S?????"));
        assertThat(events).isNotEmpty();
        TestHttp.Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("done");
        JsonNode done = json(last.data());
        List<String> streamed = events.stream().filter(e -> e.name().equals("suggestion"))
                .map(e -> json(e.data()).get("answer").asText()).toList();
        assertThat(streamed).isNotEmpty().allMatch(a -> a.length() == 6 && a.startsWith("S"));
        assertThat(done.get("suggestions")).extracting(s -> s.get("answer").asText())
                .containsExactlyInAnyOrderElementsOf(streamed);
    }

    @Test
    void should_check_a_streaming_request_before_the_stream_opens() {
        TestHttp.Reply r = http.get("/api/v1/suggestions/stream" + query("clue", "Dog (7)", "pattern", "??????"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).isEqualTo("pattern has 6 letters but the enumeration (7) needs 7");
    }

    @Test
    void should_reject_an_unknown_backend_and_a_bad_count() {
        TestHttp.Reply r = http.get("/api/v1/suggestions" + query("clue", "Happy (4)", "backend", "gpt-9"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asText()).startsWith("unknown backend 'gpt-9'");
        assertThat(http.get("/api/v1/suggestions" + query("clue", "Happy", "count", "many")).json().get("detail").asText())
                .isEqualTo("count must be an integer");
    }

    @Test
    void should_search_words_by_pattern_alone() {
        JsonNode r = ok(http.get("/api/v1/words" + query("pattern", "P?NK")));
        assertThat(r.get("words")).extracting(JsonNode::asText).contains("PINK", "PUNK");
        assertThat(r.get("words")).allMatch(w -> w.asText().matches("P[A-Z]NK"));
        assertThat(http.get("/api/v1/words").status()).isEqualTo(400);
    }

    @Test
    void should_list_the_backends_with_their_health() {
        JsonNode r = ok(http.get("/api/v1/backends"));
        assertThat(r.get("default").asText()).isEqualTo("thesaurus");
        assertThat(r.get("backends").get(0).get("ready").asBoolean()).isTrue();
    }
}
