package io.github.crosswordhelper.http;

import static io.github.crosswordhelper.http.TestHttp.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.SuggestResponse;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import io.github.crosswordhelper.backend.remote.RemoteBackend;
import io.github.crosswordhelper.backend.remote.RemoteConfig;
import io.github.crosswordhelper.backend.thesaurus.ThesaurusBackend;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheAndFallbackTest {

    /** The real thesaurus, counting calls and slowed down so concurrent misses overlap. */
    static final class CountingThesaurus implements Backend {
        final ThesaurusBackend real = new ThesaurusBackend(false).start();
        final AtomicInteger calls = new AtomicInteger();

        @Override public String name() { return "counted"; }
        @Override public String model() { return real.model(); }
        @Override public boolean isReady() { return real.isReady(); }

        @Override
        public void generate(BackendRequest request, BackendListener listener) {
            calls.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            real.generate(request, listener);
        }
    }

    @Test
    void should_answer_a_repeat_from_the_cache_and_say_so() throws Exception {
        CountingThesaurus counted = new CountingThesaurus();
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(counted).cache(100, Duration.ofMinutes(1)).build()) {
            BackendContractTest.awaitReady(helper, "counted");
            Javalin app = HttpApi.create(helper).start("127.0.0.1", 0);
            try {
                TestHttp http = new TestHttp(app.port());
                String q = "/api/v1/suggestions" + query("clue", "Happy (4)");
                TestHttp.Reply first = http.get(q);
                TestHttp.Reply second = http.get("/api/v1/suggestions" + query("clue", "  happy   (4) "));
                assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
                assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
                assertThat(second.json().get("suggestions")).isEqualTo(first.json().get("suggestions"));
                assertThat(http.get(q + "&count=3").headers().firstValue("X-Cache")).hasValue("MISS");
                assertThat(counted.calls).hasValue(2);
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void should_make_one_backend_call_for_concurrent_identical_misses() throws Exception {
        CountingThesaurus counted = new CountingThesaurus();
        try (CrosswordHelper helper = CrosswordHelper.builder().backend(counted).cache(100, Duration.ofMinutes(1)).build()) {
            BackendContractTest.awaitReady(helper, "counted");
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SuggestResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return helper.suggest(ClueRequest.of("Very angry (5)"));
                }));
            }
            go.countDown();
            for (Future<SuggestResponse> f : futures) {
                assertThat(f.get().suggestions()).isNotEmpty();
            }
            pool.shutdown();
            assertThat(counted.calls).hasValue(1);
        }
    }

    @Test
    void should_fall_back_when_the_chosen_backend_is_down_and_name_the_one_that_served() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RemoteBackend down = new RemoteBackend(RemoteConfig.builder().name("remote").protocol("spin")
                .url("http://127.0.0.1:" + closedPort).maxRetries(0).build());
        try (CrosswordHelper helper = CrosswordHelper.builder()
                .backend(down)
                .backend(new ThesaurusBackend(false).start())
                .defaultBackend("remote")
                .fallback(List.of("thesaurus"))
                .build()) {
            BackendContractTest.awaitReady(helper, "thesaurus");
            SuggestResponse r = helper.suggest(ClueRequest.of("Large body of water (5)"));
            assertThat(r.backend().name()).isEqualTo("thesaurus");
            assertThat(r.suggestions()).isNotEmpty();
        }
    }
}
