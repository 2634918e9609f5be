package io.github.crosswordhelper.http;

import static io.github.crosswordhelper.http.TestHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.llama.TinyLlama;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local backend as a user runs it ({@code CROSSWORD_BACKEND=local}), on the real JNI path with the
 * project's tiny random-weight model. A random model knows nothing, so every fitting answer proves the
 * grammar was applied.
 */
class LocalSuggestionsApiTest {
    private static CrosswordHelper helper;
    private static Javalin app;
    private static TestHttp http;

    @BeforeAll
    static void start() throws InterruptedException {
        helper = CrosswordHelper.builder().backend(TinyLlama.unclosable()).defaultBackend("local").build();
        app = HttpApi.create(helper).start("127.0.0.1", 0);
        http = new TestHttp(app.port());
        BackendContractTest.awaitReady(helper, "local");
    }

    @AfterAll
    static void stop() {
        app.stop();
        helper.close();
    }

    private static JsonNode suggest(long seed) {
        TestHttp.Reply r = http.get("/api/v1/suggestions"
                + query("clue", "Five synonyms for pink", "pattern", "?????", "seed", Long.toString(seed)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void should_return_only_fitting_answers_with_none_rejected_over_20_seeds() {
        for (long seed = 1; seed <= 20; seed++) {
            JsonNode r = suggest(seed);
            assertThat(r.get("backend").get("name").asText()).isEqualTo("local");
            assertThat(r.get("rejected")).as("seed %d rejected %s", seed, r.get("rejected")).isEmpty();
            assertThat(r.get("suggestions")).as("seed %d", seed).isNotEmpty();
            for (JsonNode s : r.get("suggestions")) {
                assertThat(s.get("answer").asText()).as("seed %d", seed).matches("[A-Z]{5}");
                assertThat(s.get("source").asText()).isEqualTo("model");
            }
        }
    }

    @Test
    void should_give_the_same_output_for_the_same_seed() {
        assertThat(suggest(42).get("suggestions")).isEqualTo(suggest(42).get("suggestions"));
    }

    @Test
    void should_complete_8_concurrent_requests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TestHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long seed = 100 + i;
                futures.add(pool.submit(() -> http.get("/api/v1/suggestions"
                        + query("clue", "Bourne Identity star (4,5)", "seed", Long.toString(seed)))));
            }
            for (Future<TestHttp.Reply> f : futures) {
                TestHttp.Reply r = f.get(120, TimeUnit.SECONDS);
                // 4 slots + 4 queued: all 8 are admitted.
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                for (JsonNode s : r.json().get("suggestions")) {
                    assertThat(s.get("display").asText()).matches("[A-Z]{4} [A-Z]{5}");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(http.get("/health").status()).isEqualTo(200);
    }
}
