package io.github.crosswordhelper.backend.remote;

import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendContractTest;
import io.github.crosswordhelper.backend.llama.TinyLlama;
import io.github.crosswordhelper.http.HttpApi;
import io.github.crosswordhelper.http.HttpOptions;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract over real HTTP: the remote backend speaks Spin's protocol to a second instance of this
 * service, whose {@code /infer} runs the tiny local model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteContractTest extends BackendContractTest {
    private static final String KEY = "contract-key";
    private CrosswordHelper upstream;
    private Javalin upstreamServer;

    @Override
    protected synchronized Backend createBackend() {
        if (upstreamServer == null) {
            upstream = CrosswordHelper.builder().backend(TinyLlama.unclosable()).defaultBackend("local").build();
            upstreamServer = HttpApi.create(upstream, HttpOptions.DEFAULTS.withApiKey(KEY)).start("127.0.0.1", 0);
        }
        return new RemoteBackend(RemoteConfig.builder().name("remote").protocol("spin")
                .url("http://127.0.0.1:" + upstreamServer.port()).apiKey(KEY).build());
    }

    @Override
    protected String expectedName() {
        return "remote";
    }

    @AfterAll
    void stopUpstream() {
        if (upstreamServer != null) {
            upstreamServer.stop();
            upstream.close();
        }
    }
}
