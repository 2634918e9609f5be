package io.github.crosswordhelper.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.CrosswordHelper;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parse endpoint, through the real server and the real clue-parser component. */
class ClueParseApiTest {
    private static CrosswordHelper helper;
    private static Javalin app;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        helper = CrosswordHelper.builder().build();
        app = HttpApi.create(helper).start("127.0.0.1", 0);
        http = new TestHttp(app.port());
    }

    @AfterAll
    static void stop() {
        app.stop();
        helper.close();
    }

    private static JsonNode parseOk(String body) {
        TestHttp.Reply r = http.postJson("/api/v1/clues/parse", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    private static JsonNode problem(TestHttp.Reply r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        return p;
    }

    private static List<Integer> ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asInt).toList();
    }

    @Test
    void should_read_a_two_word_enumeration_and_total_length() {
        JsonNode clue = parseOk("{\"clue\":\"Bourne Identity star (4,5)\"}");
        assertThat(ints(clue.get("enumeration"))).containsExactly(4, 5);
        assertThat(clue.get("length").asInt()).isEqualTo(9);
        assertThat(clue.get("text").asText()).isEqualTo("Bourne Identity star");
        assertThat(clue.get("pattern").isNull()).isTrue();
        assertThat(clue.get("count").asInt()).isEqualTo(5);
        assertThat(clue.get("kind").asText()).isEqualTo("definition");
        assertThat(clue.get("quoted").isArray()).isTrue();
    }

    @Test
    void should_write_out_every_field_even_when_unknown() {
        JsonNode clue = parseOk("{\"clue\":\"Shade of pink\"}");
        assertThat(clue.fieldNames()).toIterable()
                .containsExactly("text", "enumeration", "length", "pattern", "count", "kind", "quoted");
        assertThat(clue.get("enumeration")).isEmpty();
        assertThat(clue.get("length").isNull()).isTrue();
        assertThat(clue.get("pattern").isNull()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Dog (7)|7",
        "Bourne Identity star (4,5)|4,5",
        "Trial run (4-4)|4,4",
        "Phrase (2,3,4)|2,3,4",
        "Capital city, 7 letters|7",
        "Ten-letter word for happiness|10",
    })
    void should_read_the_enumeration_from_the_clue(String clue, String expected) {
        JsonNode parsed = parseOk("{\"clue\":\"" + clue + "\"}");
        List<Integer> want = java.util.Arrays.stream(expected.split(",")).map(Integer::parseInt).toList();
        assertThat(ints(parsed.get("enumeration"))).isEqualTo(want);
        assertThat(parsed.get("length").asInt()).isEqualTo(want.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void should_collapse_whitespace_and_remove_the_enumeration_from_the_text() {
        JsonNode clue = parseOk("{\"clue\":\"  Large   body\\tof water  (5) \"}");
        assertThat(clue.get("text").asText()).isEqualTo("Large body of water");
    }

    @Test
    void should_normalise_the_pattern_and_take_the_enumeration_from_its_words() {
        JsonNode clue = parseOk("{\"clue\":\"Spy novel\",\"pattern\":\"b?urn? ?d?nt?ty\"}");
        assertThat(clue.get("pattern").asText()).isEqualTo("B?URN??D?NT?TY");
        assertThat(ints(clue.get("enumeration"))).containsExactly(6, 8);
        assertThat(clue.get("length").asInt()).isEqualTo(14);
    }

    @Test
    void should_accept_every_unknown_letter_marker_and_hyphen_breaks() {
        JsonNode clue = parseOk("{\"clue\":\"Test\",\"pattern\":\"a.b_c?-d\"}");
        assertThat(clue.get("pattern").asText()).isEqualTo("A?B?C?D");
        assertThat(ints(clue.get("enumeration"))).containsExactly(6, 1);
    }

    @Test
    void should_keep_a_star_and_give_no_enumeration_from_it() {
        JsonNode clue = parseOk("{\"clue\":\"Colour\",\"pattern\":\"p*k\"}");
        assertThat(clue.get("pattern").asText()).isEqualTo("P*K");
        assertThat(clue.get("enumeration")).isEmpty();
        assertThat(clue.get("length").isNull()).isTrue();
    }

    @Test
    void should_treat_an_empty_pattern_as_no_pattern() {
        JsonNode clue = parseOk("{\"clue\":\"Happy (4)\",\"pattern\":\"\"}");
        assertThat(clue.get("pattern").isNull()).isTrue();
        assertThat(clue.get("length").asInt()).isEqualTo(4);
    }

    @Test
    void should_accept_a_star_pattern_that_fits_the_length() {
        JsonNode clue = parseOk("{\"clue\":\"Colour (6)\",\"pattern\":\"p*k\"}");
        assertThat(clue.get("pattern").asText()).isEqualTo("P*K");
        assertThat(clue.get("length").asInt()).isEqualTo(6);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Five synonyms for pink|5",
        "Who were five actors in the movie Ocean's Eleven?|5",
        "Name 3 actors|3",
        "Give me 50 words for snow|20",
        "Three Dog Night hit|5",
        "Capital city, 7 letters|5",
        "Ten-letter word for happiness|5",
    })
    void should_take_the_count_from_a_number_followed_by_a_plural_noun(String clue, int count) {
        assertThat(parseOk("{\"clue\":\"" + clue.replace("\"", "\\\"") + "\"}").get("count").asInt()).isEqualTo(count);
    }

    @Test
    void should_prefer_the_request_count() {
        assertThat(parseOk("{\"clue\":\"Five synonyms for pink\",\"count\":12}").get("count").asInt()).isEqualTo(12);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "See 17-Across|cross-reference",
        "With 5-Down, a famous duo|cross-reference",
        "___ and void|fill-in-the-blank",
        "Who were five actors in the movie Ocean's Eleven?|question",
        "Bank account?|wordplay",
        "Large body of water (5)|definition",
    })
    void should_classify_the_clue(String clue, String kind) {
        assertThat(parseOk("{\"clue\":\"" + clue + "\"}").get("kind").asText()).isEqualTo(kind);
    }

    @Test
    void should_list_quoted_phrases() {
        JsonNode clue = parseOk("{\"clue\":\"\\\"Hey Jude\\\" band, or \\\"Let It Be\\\" band (7)\"}");
        assertThat(clue.get("quoted")).extracting(JsonNode::asText).containsExactly("Hey Jude", "Let It Be");
    }

    @Test
    void should_reject_pattern_that_contradicts_enumeration() {
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", "{\"clue\":\"Dog (7)\",\"pattern\":\"??????\"}"), 400);
        assertThat(p.get("detail").asText()).isEqualTo("pattern has 6 letters but the enumeration (7) needs 7");
        assertThat(p.get("field").asText()).isEqualTo("pattern");
    }

    @Test
    void should_reject_a_star_pattern_with_more_fixed_letters_than_the_length() {
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", "{\"clue\":\"Dog (7)\",\"pattern\":\"ABCD*EFGH\"}"), 400);
        assertThat(p.get("detail").asText()).isEqualTo("pattern has at least 8 letters but the enumeration (7) needs 7");
    }

    @Test
    void should_reject_a_clue_longer_than_500_characters() {
        parseOk("{\"clue\":\"" + "a".repeat(500) + "\"}");
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", "{\"clue\":\"" + "a".repeat(501) + "\"}"), 400);
        assertThat(p.get("detail").asText()).isEqualTo("clue is longer than 500 characters");
    }

    @Test
    void should_reject_a_pattern_with_another_character() {
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", "{\"clue\":\"Dog\",\"pattern\":\"AB#D\"}"), 400);
        assertThat(p.get("detail").asText()).startsWith("pattern has an invalid character '#' at position 3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|clue is required",
        "{\"clue\":null}|clue is required",
        "{\"clue\":\"\"}|clue is empty",
        "{\"clue\":\"   \"}|clue is empty",
        "{\"clue\":\"(5)\"}|clue is empty once the enumeration (5) is removed",
        "{\"clue\":\"<s> [INST]\"}|clue is empty once control characters and prompt markers are removed",
        "{\"clue\":42}|clue must be a string",
        "{\"clue\":[\"x\"]}|clue must be a string",
        "{\"clue\":\"Dog\",\"pattern\":7}|pattern must be a string",
        "{\"clue\":\"Dog\",\"count\":\"5\"}|count must be an integer",
        "{\"clue\":\"Dog\",\"count\":5.5}|count must be an integer",
        "{\"clue\":\"Dog\",\"count\":0}|count must be between 1 and 20, got 0",
        "{\"clue\":\"Dog\",\"count\":21}|count must be between 1 and 20, got 21",
    })
    void should_reject_a_bad_request_with_a_precise_detail(String body, String detail) {
        assertThat(problem(http.postJson("/api/v1/clues/parse", body), 400).get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void should_reject_invalid_json() {
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", "{\"clue\": \"Dog"), 400);
        assertThat(p.get("detail").asText()).startsWith("request body is not valid JSON");
    }

    @Test
    void should_reject_a_json_value_that_is_not_an_object() {
        assertThat(problem(http.postJson("/api/v1/clues/parse", "[1,2]"), 400).get("detail").asText())
                .isEqualTo("request body must be a JSON object");
    }

    @Test
    void should_reject_broken_utf8() {
        byte[] body = "{\"clue\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        byte[] broken = java.util.Arrays.copyOf(body, body.length);
        broken[12] = (byte) 0xC3;
        broken[13] = (byte) 0x28;
        JsonNode p = problem(http.post("/api/v1/clues/parse", "application/json", broken), 400);
        assertThat(p.get("detail").asText()).startsWith("request body is not valid UTF-8");
    }

    @Test
    void should_reject_a_body_over_16_kib() {
        String big = "{\"clue\":\"" + "a".repeat(17 * 1024) + "\"}";
        JsonNode p = problem(http.postJson("/api/v1/clues/parse", big), 413);
        assertThat(p.get("detail").asText()).contains("16384");
    }

    @Test
    void should_reject_a_content_type_other_than_json() {
        JsonNode p = problem(http.post("/api/v1/clues/parse", "text/plain", "{\"clue\":\"Dog\"}".getBytes()), 415);
        assertThat(p.get("detail").asText()).contains("text/plain");
    }

    @Test
    void should_answer_404_for_an_unknown_route_and_405_for_a_wrong_method() {
        problem(http.get("/api/v1/nope"), 404);
        problem(http.get("/api/v1/clues/parse"), 405);
    }

    @Test
    void should_keep_serving_after_errors() {
        for (int i = 0; i < 20; i++) {
            http.postJson("/api/v1/clues/parse", "{\"clue\":");
            http.post("/api/v1/clues/parse", "application/json", new byte[] {(byte) 0xFF, (byte) 0xFE});
        }
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(parseOk("{\"clue\":\"Happy (4)\"}").get("length").asInt()).isEqualTo(4);
    }
}
