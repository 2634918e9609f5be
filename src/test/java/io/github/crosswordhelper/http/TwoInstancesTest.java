package io.github.crosswordhelper.http;

import static io.github.crosswordhelper.http.TestHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.llama.TinyLlama;
import io.github.crosswordhelper.server.Main;
import io.github.crosswordhelper.server.ServerConfig;
import io.javalin.Javalin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instance A, configured only by environment variables as a user would ({@code CROSSWORD_BACKEND=remote},
 * protocol {@code spin}), uses instance B's {@code POST /infer} as its LLM; B runs the tiny local model.
 */
class TwoInstancesTest {
    private static final String KEY = "two-instance-key";

    /** B's model, counting the generations A's requests cause, so the test sees they really crossed. */
    static final class CountingBackend implements Backend {
        static final AtomicInteger CALLS = new AtomicInteger();
        private final Backend model;

        CountingBackend(Backend model) {
            this.model = model;
        }

        @Override public String name() { return model.name(); }
        @Override public String kind() { return model.kind(); }
        @Override public String model() { return model.model(); }
        @Override public boolean isReady() { return model.isReady(); }

        @Override
        public void generate(BackendRequest request, BackendListener listener) {
            CALLS.incrementAndGet();
            model.generate(request, listener);
        }
    }

    private static CrosswordHelper b;
    private static Javalin serverB;
    private static CrosswordHelper a;
    private static Javalin serverA;
    private static TestHttp httpA;

    @BeforeAll
    static void start() throws InterruptedException {
        b = CrosswordHelper.builder().backend(new CountingBackend(TinyLlama.unclosable())).defaultBackend("local").build();
        serverB = HttpApi.create(b, HttpOptions.DEFAULTS.withApiKey(KEY)).start("127.0.0.1", 0);
        BackendContractTest.awaitReady(b, "local");
        ServerConfig config = ServerConfig.load(List.of(), Map.of(
                "CROSSWORD_BACKEND", "remote",
                "CROSSWORD_REMOTE_PROTOCOL", "spin",
                "CROSSWORD_REMOTE_URL", "http://127.0.0.1:" + serverB.port(),
                "CROSSWORD_REMOTE_API_KEY", KEY,
                "CROSSWORD_CACHE_ENABLED", "false"));
        a = Main.buildHelper(config);
        serverA = HttpApi.create(a).start("127.0.0.1", 0);
        httpA = new TestHttp(serverA.port());
        BackendContractTest.awaitReady(a, "remote");
    }

    @AfterAll
    static void stop() {
        serverA.stop();
        serverB.stop();
        a.close();
        b.close();
    }

    @Test
    void should_return_only_fitting_answers_from_a_model_behind_another_instance() {
        int before = CountingBackend.CALLS.get();
        for (String[] clue : new String[][] {{"Shade of pink", "S?????"}, {"Five synonyms for pink", "?????"}}) {
            TestHttp.Reply r = httpA.get("/api/v1/suggestions" + query("clue", clue[0], "pattern", clue[1]));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode json = r.json();
            assertThat(json.get("backend").get("name").asText()).isEqualTo("remote");
            String pattern = json.get("clue").get("pattern").asText().replace('?', '.');
            for (JsonNode s : json.get("suggestions")) {
                assertThat(s.get("answer").asText()).matches(pattern);
            }
            for (JsonNode rejected : json.get("rejected")) {
                assertThat(rejected.get("reason").asText()).isNotBlank();
            }
        }
        // Each of A's requests became one generation on B's model, through /infer.
        assertThat(CountingBackend.CALLS.get() - before).isEqualTo(2);
    }

    @Test
    void should_fail_with_502_not_echoing_the_key_when_b_refuses_it() throws InterruptedException {
        ServerConfig wrong = ServerConfig.load(List.of(), Map.of(
                "CROSSWORD_BACKEND", "remote",
                "CROSSWORD_REMOTE_PROTOCOL", "spin",
                "CROSSWORD_REMOTE_URL", "http://127.0.0.1:" + serverB.port(),
                "CROSSWORD_REMOTE_API_KEY", "wrong-key-xyz"));
        try (CrosswordHelper c = Main.buildHelper(wrong)) {
            Javalin server = HttpApi.create(c).start("127.0.0.1", 0);
            try {
                BackendContractTest.awaitReady(c, "remote");
                TestHttp.Reply r = new TestHttp(server.port()).get("/api/v1/suggestions" + query("clue", "Happy (4)"));
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.body()).doesNotContain("wrong-key-xyz").contains("credentials");
            } finally {
                server.stop();
            }
        }
    }
}
