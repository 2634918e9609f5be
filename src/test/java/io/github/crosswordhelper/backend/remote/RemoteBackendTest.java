package io.github.crosswordhelper.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.ChatMessage;
import io.github.crosswordhelper.ClueKind;
import io.github.crosswordhelper.GenerationParameters;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RemoteBackend against an in-process HTTP server speaking each protocol's wire format. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RemoteBackendTest {

    private static final String KEY = "sk-test-SECRET-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"answers\":{\"type\":\"array\","
            + "\"items\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{5}$\"},\"maxItems\":3}},\"required\":[\"answers\"]}";
    private static final String GRAMMAR = "root ::= answer (\"\\n\" answer)*\nanswer ::= [A-Z]{5}\n";
    private static final String FLAT = "<s>[INST] <<SYS>>\nYou suggest crossword answers.\n<</SYS>>\n\nPink shade (5) [/INST]";

    private HttpServer server;
    private ExecutorService pool;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    interface Handler {
        void handle(HttpExchange exchange, int attempt) throws Exception;
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-upstream");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void route(String path, Handler handler) {
        AtomicInteger attempts = new AtomicInteger();
        server.createContext(path, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            try {
                handler.handle(exchange, attempts.incrementAndGet());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                exchange.close();
            }
        });
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RemoteConfig.Builder config(RemoteProtocol protocol) {
        return RemoteConfig.builder()
                .name("remote")
                .url(baseUrl())
                .protocol(protocol)
                .model(protocol == RemoteProtocol.SPIN ? null : "test-model")
                .apiKey(KEY)
                .timeout(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(5));
    }

    private static String generatePath(RemoteProtocol protocol) {
        return switch (protocol) {
            case OPENAI -> "/v1/chat/completions";
            case OLLAMA -> "/api/chat";
            case SPIN -> "/infer";
        };
    }

    /** A non-streamed success in the protocol's own format, with content CORAL and PEACH as lines. */
    private static String success(RemoteProtocol protocol) {
        return switch (protocol) {
            case OPENAI -> "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"CORAL\\nPEACH\"}}]}";
            case OLLAMA -> "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"CORAL\\nPEACH\"},\"done\":true}";
            case SPIN -> "{\"text\":\"CORAL\\nPEACH\",\"usage\":{\"promptTokenCount\":30,\"generatedTokenCount\":4}}";
        };
    }

    private static BackendRequest request(Duration deadline) {
        return request(deadline, OptionalLong.empty());
    }

    private static BackendRequest request(Duration deadline, OptionalLong seed) {
        ParsedClue clue = new ParsedClue("Pink shade", List.of(5), 5, "?????", 3, ClueKind.DEFINITION, List.of());
        Prompt prompt = new Prompt(
                List.of(new ChatMessage("system", "You suggest crossword answers."),
                        new ChatMessage("user", "Pink shade (5)")),
                FLAT, GRAMMAR, new GenerationParameters(64, List.of("\n\n"), 0.7), SCHEMA);
        return new BackendRequest(clue, prompt, Set.of(), seed, Instant.now().plus(deadline));
    }

    static final class Recorder implements BackendListener {
        final List<String> deltas = new CopyOnWriteArrayList<>();
        final List<Integer> tokens = new CopyOnWriteArrayList<>();
        final CountDownLatch firstText = new CountDownLatch(1);

        @Override
        public void onText(String delta) {
            deltas.add(delta);
            firstText.countDown();
        }

        @Override
        public void onCandidate(String answer, double score, String source) {
            throw new AssertionError("remote backends send text, not candidates");
        }

        @Override
        public void onTokens(int generated) {
            tokens.add(generated);
        }

        String text() {
            return String.join("", deltas);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Sends each piece as its own chunk, flushed, with a pause between. */
    private static void stream(HttpExchange exchange, String contentType, String... pieces) throws Exception {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String piece : pieces) {
            out.write(piece.getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(15);
        }
    }

    private static String sse(String content) throws IOException {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                + JSON.writeValueAsString(content) + "},\"finish_reason\":null}]}\n\n";
    }

    private static String ndjson(String content) throws IOException {
        return "{\"model\":\"test-model\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
                + JSON.writeValueAsString(content) + "},\"done\":false}\n";
    }

    // ---------------------------------------------------------------- configuration

    @Test
    void should_mask_the_api_key_in_toString() {
        RemoteConfig config = config(RemoteProtocol.OPENAI).build();
        RemoteBackend backend = new RemoteBackend(config);

        assertThat(config.toString()).contains("apiKey=****").doesNotContain(KEY).doesNotContain("SECRET");
        assertThat(backend.toString()).doesNotContain(KEY);
        assertThat(config.toBuilder().toString()).doesNotContain(KEY);
        assertThat(config.toBuilder().apiKey(null).build().toString()).contains("apiKey=null");
    }

    @Test
    void should_apply_defaults_and_the_spin_default_model() {
        RemoteConfig config = RemoteConfig.builder().url("https://gpu.example.com/").protocol("spin").build();

        assertThat(config.name()).isEqualTo("remote");
        assertThat(config.model()).isEqualTo("llama2-chat");
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxRetries()).isEqualTo(2);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.stream()).isTrue();
        assertThat(config.baseUrl()).isEqualTo("https://gpu.example.com");
        assertThat(new RemoteBackend(config).model()).isEqualTo("llama2-chat");
    }

    @Test
    void should_reject_invalid_configuration_naming_the_field() {
        java.util.function.Supplier<RemoteConfig.Builder> ok = () -> RemoteConfig.builder().url("http://localhost:8080").protocol(RemoteProtocol.OPENAI).model("m");
        assertThatThrownBy(() -> ok.get().url("ftp://host").build()).hasMessageContaining("url");
        assertThatThrownBy(() -> ok.get().url("http:///nohost").build()).hasMessageContaining("url");
        assertThatThrownBy(() -> ok.get().url("http://user:pw@host").build())
                .hasMessageContaining("url").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> ok.get().url((String) null).build()).hasMessageContaining("url");
        assertThatThrownBy(() -> ok.get().protocol((RemoteProtocol) null).build()).hasMessageContaining("protocol");
        assertThatThrownBy(() -> ok.get().protocol("grpc")).hasMessageContaining("protocol");
        assertThatThrownBy(() -> ok.get().model(" ").build()).hasMessageContaining("model");
        assertThatThrownBy(() -> ok.get().name("").build()).hasMessageContaining("name");
        assertThatThrownBy(() -> ok.get().connectTimeout(Duration.ZERO).build()).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> ok.get().timeout(Duration.ofSeconds(-1)).build()).hasMessageContaining("timeout");
        assertThatThrownBy(() -> ok.get().retryBackoff(null).build()).hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> ok.get().maxRetries(11).build()).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> ok.get().maxRetries(-1).build()).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> ok.get().apiKey("bad key\n").build())
                .hasMessageContaining("apiKey").hasMessageNotContaining("bad key");
        assertThat(ok.get().maxRetries(0).build().maxRetries()).isZero();
        assertThat(RemoteProtocol.fromWireName("OLLAMA")).isEqualTo(RemoteProtocol.OLLAMA);
        assertThat(RemoteProtocol.SPIN.wireName()).isEqualTo("spin");
    }

    // ---------------------------------------------------------------- openai

    @Test
    void should_send_openai_json_schema_request_and_turn_answers_into_lines() throws Exception {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 200, "application/json",
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + "\"{\\\"answers\\\":[\\\"CORAL\\\",\\\"PEACH\\\"]}\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":12}}"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OPENAI).stream(false).build())
                .generate(request(Duration.ofSeconds(5), OptionalLong.of(42)), listener);

        assertThat(listener.text()).isEqualTo("CORAL\nPEACH\n");
        assertThat(listener.tokens).endsWith(12);
        Received sent = received.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("test-model");
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").path(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").path(1).path("content").asText()).isEqualTo("Pink shade (5)");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.has("grammar")).isFalse();
        JsonNode format = body.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("answers");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema")).isEqualTo(JSON.readTree(SCHEMA));
    }

    @Test
    void should_send_grammar_only_with_the_llama_cpp_flag_and_pass_plain_text_through() throws Exception {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 200, "application/json", success(RemoteProtocol.OPENAI)));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OPENAI).stream(false).llamaCppGrammar(true).build())
                .generate(request(Duration.ofSeconds(5)), listener);

        assertThat(listener.text()).isEqualTo("CORAL\nPEACH\n");
        JsonNode body = received.get(0).json();
        assertThat(body.path("grammar").asText()).isEqualTo(GRAMMAR);
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("seed")).isFalse();
    }

    @Test
    void should_tolerate_prose_when_a_json_schema_was_asked_for() {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 200, "application/json",
                "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Try CORAL, or maybe PEACH.\"}}]}"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OPENAI).stream(false).build())
                .generate(request(Duration.ofSeconds(5)), listener);

        assertThat(listener.text()).isEqualTo("Try CORAL, or maybe PEACH.\n");
    }

    @Test
    void should_stream_openai_sse_chunks_as_they_arrive() throws Exception {
        route("/v1/chat/completions", (ex, n) -> stream(ex, "text/event-stream",
                ": keep-alive\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n",
                sse("{\"answers\":[\"CO"),
                sse("RAL\",\"PEA"),
                sse("CH\"]}"),
                "data: {\"choices\":[],\"usage\":{\"completion_tokens\":9}}\n\n",
                "data: [DONE]\n\n"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OPENAI).build()).generate(request(Duration.ofSeconds(5)), listener);

        assertThat(listener.deltas).containsExactly("CORAL\n", "PEACH\n");
        assertThat(listener.tokens).endsWith(9);
        Received sent = received.get(0);
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void should_pass_streamed_grammar_text_through_chunk_by_chunk() throws Exception {
        route("/v1/chat/completions", (ex, n) -> stream(ex, "text/event-stream",
                sse("COR"), sse("AL\nPE"), sse("ACH"), "data: [DONE]\n\n"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OPENAI).llamaCppGrammar(true).build())
                .generate(request(Duration.ofSeconds(5)), listener);

        assertThat(listener.deltas).containsExactly("COR", "AL\nPE", "ACH", "\n");
        assertThat(listener.tokens).containsExactly(1, 2, 3, 3);
    }

    @Test
    void should_report_the_openai_error_message() {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 400, "application/json",
                "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\",\"type\":\"invalid_request_error\"}}"));

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendException.class)
                .hasMessage("remote remote answered HTTP 400: the request exceeds the available context size");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_strip_the_key_and_truncate_an_upstream_error_body() {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 422, "application/json",
                "{\"error\":{\"message\":\"bad header Bearer " + KEY + " " + "x".repeat(1000) + "\"}}"));

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendException.class).hasMessageContaining("HTTP 422: bad header Bearer ****");
        assertThat(thrown.getMessage()).doesNotContain(KEY).hasSizeLessThan(400);
    }

    @Test
    void should_report_an_openai_error_event_mid_stream() {
        route("/v1/chat/completions", (ex, n) -> stream(ex, "text/event-stream",
                sse("COR"), "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"));
        Recorder listener = new Recorder();

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).llamaCppGrammar(true).build())
                .generate(request(Duration.ofSeconds(5)), listener));

        assertThat(thrown).isInstanceOf(BackendException.class).hasMessageContaining("model overloaded");
        assertThat(listener.text()).isEqualTo("COR");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_fail_when_the_openai_stream_ends_before_done_and_not_retry() {
        route("/v1/chat/completions", (ex, n) -> stream(ex, "text/event-stream", sse("CORAL\n"), sse("PEA")));
        Recorder listener = new Recorder();

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).llamaCppGrammar(true).build())
                .generate(request(Duration.ofSeconds(5)), listener));

        assertThat(thrown).isInstanceOf(BackendException.class).hasMessageContaining("stream ended before [DONE]");
        assertThat(listener.text()).isEqualTo("CORAL\nPEA");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_say_what_is_wrong_with_a_garbage_openai_response() {
        route("/v1/chat/completions", (ex, n) -> respond(ex, 200, "text/html", n == 1 ? "<html>oops</html>" : "{\"choices\":[]}"));
        RemoteBackend backend = new RemoteBackend(config(RemoteProtocol.OPENAI).stream(false).build());

        assertThatThrownBy(() -> backend.generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class).hasMessageContaining("returned invalid JSON");
        assertThatThrownBy(() -> backend.generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class).hasMessageContaining("missing field choices[0].message.content");
    }

    @Test
    void should_time_out_when_a_stream_stalls_after_the_first_chunk() {
        CountDownLatch release = new CountDownLatch(1);
        route("/v1/chat/completions", (ex, n) -> {
            stream(ex, "text/event-stream", sse("CORAL\n"));
            release.await(5, TimeUnit.SECONDS);
        });
        Recorder listener = new Recorder();
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).llamaCppGrammar(true).build())
                .generate(request(Duration.ofMillis(600)), listener));
        release.countDown();

        assertThat(thrown).isInstanceOf(BackendTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
        assertThat(listener.text()).isEqualTo("CORAL\n");
    }

    @Test
    void should_map_429_to_unavailable_with_the_retry_after_hint_without_retrying() {
        route("/v1/chat/completions", (ex, n) -> {
            ex.getResponseHeaders().set("Retry-After", "7");
            respond(ex, 429, "application/json", "{\"error\":{\"message\":\"Rate limit reached\"}}");
        });

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("Rate limit reached");
        assertThat(((BackendUnavailableException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(received).hasSize(1);
    }

    @Test
    void should_give_up_on_503_after_max_retries() {
        route("/v1/chat/completions", (ex, n) -> {
            ex.getResponseHeaders().set("Retry-After", "3");
            respond(ex, 503, "application/json", "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":\"unavailable_error\"}}");
        });

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OPENAI).maxRetries(1).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("(HTTP 503): Loading model");
        assertThat(((BackendUnavailableException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(received).hasSize(2);
    }

    // ---------------------------------------------------------------- ollama

    @Test
    void should_send_ollama_chat_with_format_and_options() throws Exception {
        route("/api/chat", (ex, n) -> respond(ex, 200, "application/json",
                "{\"model\":\"test-model\",\"created_at\":\"2024-12-06T00:46:58Z\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"{\\\"answers\\\": [\\\"CORAL\\\"]}\"},\"done_reason\":\"stop\",\"done\":true,\"eval_count\":7}"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OLLAMA).stream(false).build())
                .generate(request(Duration.ofSeconds(5), OptionalLong.of(7)), listener);

        assertThat(listener.text()).isEqualTo("CORAL\n");
        assertThat(listener.tokens).endsWith(7);
        Received sent = received.get(0);
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("test-model");
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("You suggest crossword answers.");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("format")).isEqualTo(JSON.readTree(SCHEMA));
        JsonNode options = body.path("options");
        assertThat(options.path("num_predict").asInt()).isEqualTo(64);
        assertThat(options.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(options.path("top_k").asInt()).isEqualTo(40);
        assertThat(options.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(options.path("repeat_penalty").asDouble()).isEqualTo(1.1);
        assertThat(options.path("seed").asLong()).isEqualTo(7);
        assertThat(options.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(body.has("grammar")).isFalse();
    }

    @Test
    void should_stream_ollama_ndjson_lines_as_they_arrive() throws Exception {
        route("/api/chat", (ex, n) -> stream(ex, "application/x-ndjson",
                ndjson("{\"answers\":[\"CO"), ndjson("RAL\", \"PEACH\""), ndjson("]}"),
                "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\","
                        + "\"done\":true,\"prompt_eval_count\":26,\"eval_count\":5}\n"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.OLLAMA).build()).generate(request(Duration.ofSeconds(5)), listener);

        assertThat(listener.deltas).containsExactly("CORAL\n", "PEACH\n");
        assertThat(listener.tokens).endsWith(5);
        assertThat(received.get(0).json().path("stream").asBoolean()).isTrue();
    }

    @Test
    void should_report_an_ollama_error_line_mid_stream() {
        route("/api/chat", (ex, n) -> stream(ex, "application/x-ndjson",
                ndjson("CORAL\n"), "{\"error\":\"an error was encountered while running the model\"}\n"));
        Recorder listener = new Recorder();

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(RemoteProtocol.OLLAMA).build())
                .generate(request(Duration.ofSeconds(5)), listener));

        assertThat(thrown).isInstanceOf(BackendException.class)
                .hasMessageContaining("an error was encountered while running the model");
        assertThat(listener.text()).isEqualTo("CORAL\n");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_fail_when_the_ollama_stream_ends_without_done() {
        route("/api/chat", (ex, n) -> stream(ex, "application/x-ndjson", ndjson("CORAL\n"), ndjson("PEA")));

        assertThatThrownBy(() -> new RemoteBackend(config(RemoteProtocol.OLLAMA).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class).hasMessageContaining("cut off");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_report_an_ollama_error_body() {
        route("/api/chat", (ex, n) -> respond(ex, 404, "application/json", "{\"error\":\"model 'test-model' not found\"}"));

        assertThatThrownBy(() -> new RemoteBackend(config(RemoteProtocol.OLLAMA).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class)
                .hasMessage("remote remote answered HTTP 404: model 'test-model' not found");
    }

    // ---------------------------------------------------------------- spin

    @Test
    void should_send_the_spin_infer_body_with_all_six_options_and_a_lowercase_bearer() throws Exception {
        route("/infer", (ex, n) -> respond(ex, 200, "text/html",
                "{\"text\":\"CORAL\\nPEACH\",\"usage\":{\"promptTokenCount\":30,\"generatedTokenCount\":9}}"));
        Recorder listener = new Recorder();

        new RemoteBackend(config(RemoteProtocol.SPIN).build()).generate(request(Duration.ofSeconds(5), OptionalLong.of(1)), listener);

        assertThat(listener.text()).isEqualTo("CORAL\nPEACH\n");
        assertThat(listener.tokens).containsExactly(9);
        Received sent = received.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/infer");
        assertThat(sent.header("authorization")).isEqualTo("bearer " + KEY);
        JsonNode expected = JSON.createObjectNode()
                .put("model", "llama2-chat")
                .put("prompt", FLAT)
                .set("options", JSON.createObjectNode()
                        .put("maxTokens", 64)
                        .put("repeatPenalty", 1.1)
                        .put("repeatPenaltyLastNTokenCount", 64)
                        .put("temperature", 0.7)
                        .put("topK", 40)
                        .put("topP", 0.9));
        assertThat(sent.json()).isEqualTo(expected);
    }

    @Test
    void should_report_a_spin_400_plain_text_error() {
        route("/infer", (ex, n) -> respond(ex, 400, null, "Please provide valid JSON in the request body"));

        assertThatThrownBy(() -> new RemoteBackend(config(RemoteProtocol.SPIN).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class)
                .hasMessage("remote remote answered HTTP 400: Please provide valid JSON in the request body");
        assertThat(received).hasSize(1);
    }

    @Test
    void should_report_a_spin_answer_without_text() {
        route("/infer", (ex, n) -> respond(ex, 200, "text/html", "{\"usage\":{\"promptTokenCount\":1,\"generatedTokenCount\":0}}"));

        assertThatThrownBy(() -> new RemoteBackend(config(RemoteProtocol.SPIN).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()))
                .isInstanceOf(BackendException.class).hasMessageContaining("missing field text");
    }

    // ---------------------------------------------------------------- every protocol

    @ParameterizedTest
    @EnumSource(RemoteProtocol.class)
    void should_time_out_when_the_upstream_hangs(RemoteProtocol protocol) {
        CountDownLatch release = new CountDownLatch(1);
        route(generatePath(protocol), (ex, n) -> release.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(protocol).build())
                .generate(request(Duration.ofMillis(500)), new Recorder()));
        release.countDown();

        assertThat(thrown).isInstanceOf(BackendTimeoutException.class).hasMessageContaining("remote remote");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(received).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(RemoteProtocol.class)
    void should_refuse_credentials_without_echoing_the_key(RemoteProtocol protocol) {
        int status = protocol == RemoteProtocol.SPIN ? 403 : 401;
        String body = switch (protocol) {
            case OPENAI -> "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}";
            case OLLAMA -> "{\"error\":\"unauthorized: " + KEY + "\"}";
            case SPIN -> "Please provide valid authorization header";
        };
        route(generatePath(protocol), (ex, n) -> respond(ex, status, null, body));

        Throwable thrown = catchThrowable(() -> new RemoteBackend(config(protocol).build())
                .generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendException.class)
                .hasMessage("remote remote refused the credentials (HTTP " + status + ")");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
        }
        assertThat(received).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(RemoteProtocol.class)
    void should_retry_on_503_then_succeed(RemoteProtocol protocol) {
        route(generatePath(protocol), (ex, n) -> {
            if (n <= 2) {
                respond(ex, 503, "text/plain", "busy");
            } else {
                respond(ex, 200, "application/json", success(protocol));
            }
        });
        Recorder listener = new Recorder();

        new RemoteBackend(config(protocol).stream(false).build()).generate(request(Duration.ofSeconds(5)), listener);

        assertThat(received).hasSize(3);
        assertThat(listener.text()).isEqualTo("CORAL\nPEACH\n");
    }

    @ParameterizedTest
    @EnumSource(RemoteProtocol.class)
    void should_report_unreachable_after_retries_when_the_connection_is_refused(RemoteProtocol protocol) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RemoteBackend backend = new RemoteBackend(config(protocol).url("http://127.0.0.1:" + closedPort).build());
        assertThat(backend.isReady()).isTrue();

        Throwable thrown = catchThrowable(() -> backend.generate(request(Duration.ofSeconds(5)), new Recorder()));

        assertThat(thrown).isInstanceOf(BackendUnavailableException.class)
                .hasMessage("remote remote at http://127.0.0.1:" + closedPort + " is unreachable: connection refused");
        assertThat(((BackendUnavailableException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(backend.isReady()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RemoteProtocol.class)
    void should_cancel_the_upstream_request_when_the_caller_is_interrupted(RemoteProtocol protocol) throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch serverSawClose = new CountDownLatch(1);
        route(generatePath(protocol), (ex, n) -> {
            if (protocol == RemoteProtocol.SPIN) {
                interrupted.await(5, TimeUnit.SECONDS); // still "thinking" when the caller goes away
                ex.sendResponseHeaders(200, 0);
            } else {
                stream(ex, protocol == RemoteProtocol.OPENAI ? "text/event-stream" : "application/x-ndjson",
                        protocol == RemoteProtocol.OPENAI ? sse("CORAL\n") : ndjson("CORAL\n"));
                interrupted.await(5, TimeUnit.SECONDS);
            }
            OutputStream out = ex.getResponseBody();
            byte[] more = (protocol == RemoteProtocol.OPENAI ? sse("PEACH\n") : ndjson("PEACH\n")).getBytes(StandardCharsets.UTF_8);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                while (System.nanoTime() < until) {
                    out.write(more);
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                serverSawClose.countDown();
            }
        });
        RemoteBackend backend = new RemoteBackend(config(protocol).llamaCppGrammar(true).build());
        Recorder listener = new Recorder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flagRestored = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                backend.generate(request(Duration.ofSeconds(10)), listener);
            } catch (Throwable t) {
                failure.set(t);
            }
            flagRestored.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        if (protocol == RemoteProtocol.SPIN) {
            while (received.isEmpty()) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
        } else {
            assertThat(listener.firstText.await(5, TimeUnit.SECONDS)).isTrue();
        }

        caller.interrupt();
        caller.join(3000);
        interrupted.countDown();

        assertThat(caller.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(BackendException.class).hasMessage("remote request cancelled");
        assertThat(flagRestored).isTrue();
        assertThat(serverSawClose.await(5, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
        assertThat(received).hasSize(1);
    }

    @Test
    void should_turn_json_answers_into_lines_and_keep_broken_json_for_the_filter() {
        Recorder complete = new Recorder();
        AnswerText text = new AnswerText(complete, JSON);
        text.append("  {\"answers\": [\"CO\\u0052AL\", ");
        text.append("\"PE\\\"ACH\"]}");
        text.finish();
        assertThat(complete.deltas).containsExactly("CORAL\n", "PE\"ACH\n");

        Recorder empty = new Recorder();
        AnswerText none = new AnswerText(empty, JSON);
        none.append("{\"answers\":[]}");
        none.finish();
        assertThat(empty.deltas).isEmpty();

        Recorder broken = new Recorder();
        AnswerText cut = new AnswerText(broken, JSON);
        cut.append("{\"result\": \"CORAL");
        cut.finish();
        assertThat(broken.text()).isEqualTo("{\"result\": \"CORAL\n");
    }

    // ---------------------------------------------------------------- readiness

    @Test
    void should_probe_the_cheap_endpoint_of_each_protocol() throws IOException {
        route("/v1/models", (ex, n) -> respond(ex, 200, "application/json", "{\"object\":\"list\",\"data\":[]}"));
        route("/api/tags", (ex, n) -> respond(ex, 200, "application/json", "{\"models\":[]}"));

        assertThat(new RemoteBackend(config(RemoteProtocol.OPENAI).build()).probe()).isTrue();
        assertThat(new RemoteBackend(config(RemoteProtocol.OLLAMA).build()).probe()).isTrue();
        assertThat(new RemoteBackend(config(RemoteProtocol.SPIN).build()).probe()).isTrue();
        assertThat(received).extracting(Received::method, Received::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GET", "/v1/models"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/api/tags"));
        assertThat(received.get(0).header("Authorization")).isEqualTo("Bearer " + KEY);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RemoteBackend down = new RemoteBackend(config(RemoteProtocol.OLLAMA).url("http://127.0.0.1:" + closedPort).build());
        assertThat(down.probe()).isFalse();
        assertThat(down.isReady()).isFalse();
    }
}
