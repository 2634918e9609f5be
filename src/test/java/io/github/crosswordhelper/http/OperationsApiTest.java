package io.github.crosswordhelper.http;

import static io.github.crosswordhelper.http.TestHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Health, metrics, request ids and graceful shutdown, on real servers. */
class OperationsApiTest {

    @Test
    void should_report_not_ready_until_the_default_backend_has_loaded() throws Exception {
        ThesaurusBackend notStarted = new ThesaurusBackend(false);
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(notStarted).build()) {
            Javalin app = HttpApi.create(helper).start("127.0.0.1", 0);
            try {
                TestHttp http = new TestHttp(app.port());
                TestHttp.Reply before = http.get("/health/ready");
                assertThat(before.status()).isEqualTo(503);
                assertThat(before.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(http.get("/health/live").status()).isEqualTo(200);
                assertThat(http.get("/health").status()).isEqualTo(200);
                notStarted.start();
                assertThat(helper.awaitReady(Duration.ofSeconds(90))).isTrue();
                TestHttp.Reply after = http.get("/health/ready");
                assertThat(after.status()).isEqualTo(200);
                assertThat(after.json().get("backend").asText()).isEqualTo("thesaurus");
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void should_export_request_backend_wasm_and_cache_metrics_after_traffic() throws Exception {
        Metrics metrics = new Metrics();
        try (CrosswordHelper helper = CrosswordHelper.builder().metrics(metrics).cache(10, Duration.ofMinutes(1)).build()) {
            BackendContractTest.awaitReady(helper, "thesaurus");
            Javalin app = HttpApi.create(helper, HttpOptions.DEFAULTS.withMetrics(metrics)).start("127.0.0.1", 0);
            try {
                TestHttp http = new TestHttp(app.port());
                http.postJson("/api/v1/clues/parse", "{\"clue\":\"Happy (4)\"}");
                http.get("/api/v1/suggestions" + query("clue", "Happy (4)"));
                http.get("/api/v1/suggestions" + query("clue", "Happy (4)"));
                http.get("/nope");
                TestHttp.Reply r = http.get("/metrics");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.contentType()).startsWith("text/plain");
                assertThat(r.body())
                        .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/clues/parse\",status=\"200\"}")
                        .contains("http_server_requests_seconds_bucket{")
                        .contains("route=\"unmatched\",status=\"404\"")
                        .contains("crossword_backend_call_seconds_count{backend=\"thesaurus\",outcome=\"ok\"} 1")
                        .contains("crossword_wasm_call_seconds_count{component=\"clue-parser\",outcome=\"ok\"}")
                        .contains("crossword_cache_requests_total{result=\"hit\"} 1")
                        .contains("crossword_cache_requests_total{result=\"miss\"} 1")
                        .contains("crossword_backend_in_flight{backend=\"thesaurus\"}");
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void should_put_a_request_id_on_every_response_and_keep_a_plain_one_given() throws Exception {
        try (CrosswordHelper helper = CrosswordHelper.builder().build()) {
            Javalin app = HttpApi.create(helper).start("127.0.0.1", 0);
            try {
                TestHttp http = new TestHttp(app.port());
                assertThat(http.get("/health").headers().firstValue("X-Request-Id")).get().asString().hasSize(36);
                assertThat(http.get("/nope").headers().firstValue("X-Request-Id")).isPresent();
                var given = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/health"))
                                .header("X-Request-Id", "trace-42").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(given.headers().firstValue("X-Request-Id")).hasValue("trace-42");
            } finally {
                app.stop();
            }
        }
    }

    /** The real thesaurus, made slow so a request is still running when the server is told to stop. */
    static final class SlowThesaurus implements Backend {
        final ThesaurusBackend real = new ThesaurusBackend(false).start();

        @Override public String name() { return "slow"; }
        @Override public String model() { return real.model(); }
        @Override public boolean isReady() { return real.isReady(); }

        @Override
        public void generate(BackendRequest request, BackendListener listener) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            real.generate(request, listener);
        }
    }

    @Test
    void should_drain_in_flight_requests_on_shutdown() throws Exception {
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(new SlowThesaurus()).build()) {
            BackendContractTest.awaitReady(helper, "slow");
            Javalin app = HttpApi.create(helper).start("127.0.0.1", 0);
            TestHttp http = new TestHttp(app.port());
            CompletableFuture<TestHttp.Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> http.get("/api/v1/suggestions" + query("clue", "Large body of water (5)")));
            Thread.sleep(400);
            app.stop();
            TestHttp.Reply r = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("suggestions")).isNotEmpty();
        }
    }
}
