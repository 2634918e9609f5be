package io.github.crosswordhelper.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.llama.TinyLlama;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /infer}: Spin's remote_http protocol, served by this service. */
class InferApiTest {
    private static final String KEY = "test-key-0123456789";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static CrosswordHelper withModel;
    private static Javalin modelServer;
    private static CrosswordHelper thesaurusOnly;
    private static Javalin thesaurusServer;
    private static Javalin noKeyServer;

    @BeforeAll
    static void start() throws InterruptedException {
        withModel = CrosswordHelper.builder().backend(TinyLlama.unclosable()).defaultBackend("local").build();
        modelServer = HttpApi.create(withModel, HttpOptions.DEFAULTS.withApiKey(KEY)).start("127.0.0.1", 0);
        thesaurusOnly = CrosswordHelper.builder().build();
        thesaurusServer = HttpApi.create(thesaurusOnly, HttpOptions.DEFAULTS.withApiKey(KEY)).start("127.0.0.1", 0);
        noKeyServer = HttpApi.create(thesaurusOnly).start("127.0.0.1", 0);
        BackendContractTest.awaitReady(withModel, "local");
    }

    @AfterAll
    static void stop() {
        modelServer.stop();
        thesaurusServer.stop();
        noKeyServer.stop();
        withModel.close();
        thesaurusOnly.close();
    }

    private static HttpResponse<String> infer(Javalin server, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/infer"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("authorization", authorization);
        }
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String SPIN_BODY = "{\"model\":\"llama2-chat\",\"prompt\":\"<s>[INST] Name a colour [/INST]\","
            + "\"options\":{\"maxTokens\":16,\"repeatPenalty\":1.1,\"repeatPenaltyLastNTokenCount\":64,"
            + "\"temperature\":0.8,\"topK\":40,\"topP\":0.9}}";

    @Test
    void should_answer_in_the_spin_wire_format() throws Exception {
        HttpResponse<String> r = infer(modelServer, "bearer " + KEY, "application/json", SPIN_BODY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var json = io.github.crosswordhelper.internal.ComponentCodec.MAPPER.readTree(r.body());
        assertThat(json.get("text").isTextual()).isTrue();
        assertThat(json.get("usage").get("promptTokenCount").asInt()).isPositive();
        assertThat(json.get("usage").get("generatedTokenCount").asInt()).isBetween(1, 16);
    }

    @Test
    void should_match_the_bearer_scheme_in_any_case() throws Exception {
        assertThat(infer(modelServer, "BeArEr " + KEY, "application/json", SPIN_BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void should_check_the_key_before_anything_else() throws Exception {
        HttpResponse<String> wrong = infer(modelServer, "bearer nope", "text/xml", "<not json>");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(infer(modelServer, null, null, SPIN_BODY).statusCode()).isEqualTo(403);
        assertThat(infer(modelServer, "Basic " + KEY, "application/json", SPIN_BODY).statusCode()).isEqualTo(403);
    }

    @Test
    void should_refuse_infer_when_no_key_is_configured() throws Exception {
        HttpResponse<String> r = infer(noKeyServer, "bearer " + KEY, "application/json", SPIN_BODY);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("CROSSWORD_API_KEY");
    }

    @Test
    void should_answer_plain_text_400_without_a_language_model() throws Exception {
        HttpResponse<String> r = infer(thesaurusServer, "bearer " + KEY, "application/json", SPIN_BODY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("no language model");
    }

    @Test
    void should_answer_plain_text_400_for_bad_json() throws Exception {
        HttpResponse<String> r = infer(modelServer, "bearer " + KEY, "application/json", "{\"prompt\":");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    }
}
