package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.crosswordhelper.BackendException;
import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.CrosswordException;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend that asks a remote model server: an OpenAI-compatible server (OpenAI, llama.cpp's
 * llama-server), Ollama, or a Spin remote_http LLM endpoint (Fermyon Cloud GPU). Thread-safe; one
 * {@link HttpClient} serves every request.
 *
 * <p>Every attempt is held to {@link RemoteConfig#timeout()} and never runs past the request's deadline,
 * streamed reads included. Connect failures and HTTP 502/503/504 are retried up to
 * {@link RemoteConfig#maxRetries()} times with exponential backoff and full jitter, never once text has
 * reached the listener. An interrupt of the calling thread drops the upstream connection and ends with
 * {@code BackendException("remote request cancelled")}, the interrupt flag restored. The API key never
 * appears in an exception message or a log line.
 */
public final class RemoteBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The retry hint when the server cannot be reached or does not give one. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final RemoteConfig config;
    private final WireProtocol protocol;
    private final HttpClient client;
    private final URI generateUri;
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private volatile boolean closed;

    public RemoteBackend(RemoteConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.protocol = switch (config.protocol()) {
            case OPENAI -> new OpenAiProtocol();
            case OLLAMA -> new OllamaProtocol();
            case SPIN -> new SpinProtocol();
        };
        this.generateUri = URI.create(config.baseUrl() + protocol.generatePath());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The configuration (its {@code toString()} masks the key). */
    public RemoteConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String kind() {
        return "remote";
    }

    @Override
    public String model() {
        return config.model();
    }

    /** {@code false} once the last request or probe could not connect; {@code true} again after any answer. */
    @Override
    public boolean isReady() {
        return !closed && ready.get();
    }

    /**
     * Checks that the server answers a cheap GET ({@code /v1/models} for openai, {@code /api/tags} for
     * ollama; spin has none and is taken as ready). Any HTTP answer counts as up. Updates {@link #isReady()}.
     */
    public boolean probe() {
        String path = protocol.probePath();
        if (path == null || closed) {
            return isReady();
        }
        Duration budget = config.timeout().compareTo(PROBE_TIMEOUT) < 0 ? config.timeout() : PROBE_TIMEOUT;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(budget)
                .header("Accept", "application/json")
                .GET();
        authorize(builder);
        ResponseStream stream = new ResponseStream();
        CompletableFuture<HttpResponse<ResponseStream>> future = client.sendAsync(builder.build(), info -> stream);
        try {
            HttpResponse<ResponseStream> response = future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
            stream.cancel();
            ready.set(true);
            LOG.debug("remote {} probe: HTTP {}", config.name(), response.statusCode());
            return true;
        } catch (InterruptedException e) {
            abort(future, stream);
            Thread.currentThread().interrupt();
            return isReady();
        } catch (TimeoutException | ExecutionException e) {
            abort(future, stream);
            ready.set(false);
            LOG.info("remote {} at {} did not answer the probe: {}", config.name(), config.url(),
                    clean(e instanceof ExecutionException ? ResponseStream.describe(unwrap(e)) : "timed out"));
            return false;
        }
    }

    @Override
    public void generate(BackendRequest request, BackendListener listener) {
        java.util.Objects.requireNonNull(request, "request");
        java.util.Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new BackendUnavailableException("remote " + config.name() + " is closed", DEFAULT_RETRY_AFTER);
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(protocol.requestBody(config, request, JSON));
        } catch (JsonProcessingException e) {
            throw new BackendException("could not encode the request for remote " + config.name(), e);
        }
        boolean streaming = protocol.streams(config);
        AnswerText out = new AnswerText(listener, JSON);
        WireProtocol.Reply reply = new WireProtocol.Reply(config.name(), JSON, out, config.apiKey());
        for (int attempt = 0; ; attempt++) {
            try {
                attempt(body, streaming, request, reply);
                return;
            } catch (Retriable failure) {
                CrosswordException last = failure.toThrow;
                if (out.emitted() || attempt >= config.maxRetries()) {
                    throw last;
                }
                long sleep = backoffMillis(attempt);
                if (Instant.now().plusMillis(sleep).isAfter(request.deadline())) {
                    throw last;
                }
                LOG.warn("remote {} attempt {} of {} failed ({}); retrying in {} ms", config.name(), attempt + 1,
                        config.maxRetries() + 1, last.getMessage(), sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendException("remote request cancelled");
                }
            }
        }
    }

    /** Marks the backend closed; later requests are refused. The HttpClient's threads are daemons. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "RemoteBackend[" + config + "]";
    }

    // ---- one attempt ----

    private void attempt(byte[] body, boolean streaming, BackendRequest request, WireProtocol.Reply reply)
            throws Retriable {
        if (Thread.currentThread().isInterrupted()) {
            throw new BackendException("remote request cancelled");
        }
        Instant start = Instant.now();
        Instant attemptDeadline = start.plus(config.timeout());
        if (request.deadline().isBefore(attemptDeadline)) {
            attemptDeadline = request.deadline();
        }
        Duration budget = Duration.between(start, attemptDeadline);
        if (budget.toMillis() <= 0) {
            throw new BackendTimeoutException("remote " + config.name() + " had no time left before the deadline");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(generateUri)
                .timeout(budget)
                .header("Content-Type", "application/json")
                .header("Accept", protocol.accept(streaming))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        authorize(builder);
        ResponseStream stream = new ResponseStream();
        stream.arm(config.name(), attemptDeadline, budget);
        LOG.debug("remote {}: POST {} ({}, stream={}, budget {} ms)", config.name(), generateUri,
                config.protocol().wireName(), streaming, budget.toMillis());
        CompletableFuture<HttpResponse<ResponseStream>> future = client.sendAsync(builder.build(), info -> stream);

        HttpResponse<ResponseStream> response;
        try {
            long nanos = Duration.between(Instant.now(), attemptDeadline).toNanos();
            response = future.get(Math.max(nanos, 1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            abort(future, stream);
            Thread.currentThread().interrupt();
            throw new BackendException("remote request cancelled");
        } catch (TimeoutException e) {
            abort(future, stream);
            throw timedOut(budget);
        } catch (ExecutionException e) {
            abort(future, stream);
            throw failed(unwrap(e), budget);
        }
        ready.set(true);

        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                protocol.readResponse(stream, streaming, reply);
            } finally {
                stream.cancel();
            }
            LOG.debug("remote {}: answered in {} ms", config.name(), Duration.between(start, Instant.now()).toMillis());
            return;
        }
        if (status == 401 || status == 403) {
            // Neither the key nor the body (which may quote it) goes into the message.
            stream.cancel();
            LOG.warn("remote {} at {} refused the credentials (HTTP {})", config.name(), config.url(), status);
            throw new BackendException("remote " + config.name() + " refused the credentials (HTTP " + status + ")");
        }
        String message = errorBody(stream);
        String suffix = message.isEmpty() ? "" : ": " + message;
        switch (status) {
            case 429 -> throw new BackendUnavailableException(
                    "remote " + config.name() + " is rate-limiting requests (HTTP 429)" + suffix,
                    retryAfter(response));
            case 502 -> throw new Retriable(
                    new BackendException("remote " + config.name() + " answered HTTP 502 (bad gateway)" + suffix));
            case 503 -> throw new Retriable(new BackendUnavailableException(
                    "remote " + config.name() + " is unavailable (HTTP 503)" + suffix, retryAfter(response)));
            case 504 -> throw new Retriable(new BackendTimeoutException(
                    "remote " + config.name() + " timed out upstream (HTTP 504)" + suffix));
            default -> throw new BackendException("remote " + config.name() + " answered HTTP " + status + suffix);
        }
    }

    private void authorize(HttpRequest.Builder builder) {
        if (config.apiKey() != null) {
            builder.header(protocol.authorizationHeader(), protocol.authorizationScheme() + config.apiKey());
        }
    }

    /** The upstream's error message from a non-2xx body, cleaned; empty when there is none or it is slow. */
    private String errorBody(ResponseStream stream) {
        try {
            return clean(WireProtocol.errorMessage(stream.readAll(MAX_ERROR_BODY, false), JSON));
        } catch (BackendTimeoutException e) {
            return "";
        } catch (BackendException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // cancelled
            }
            return "";
        } finally {
            stream.cancel();
        }
    }

    private CrosswordException failed(Throwable cause, Duration budget) throws Retriable {
        if (cause instanceof HttpConnectTimeoutException
                || cause instanceof ConnectException
                || cause instanceof UnresolvedAddressException
                || cause.getCause() instanceof UnresolvedAddressException) {
            ready.set(false);
            String reason = cause instanceof HttpConnectTimeoutException
                    ? "connect timed out after " + config.connectTimeout().toMillis() + " ms"
                    : describeConnect(cause);
            throw new Retriable(new BackendUnavailableException(
                    "remote " + config.name() + " at " + config.url() + " is unreachable: " + clean(reason),
                    DEFAULT_RETRY_AFTER, cause));
        }
        if (cause instanceof HttpTimeoutException) {
            return timedOut(budget);
        }
        return new BackendException(
                "remote " + config.name() + " request failed: " + clean(ResponseStream.describe(cause)), cause);
    }

    private static String describeConnect(Throwable cause) {
        if (cause instanceof UnresolvedAddressException || cause.getCause() instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return "connection refused";
        }
        return message;
    }

    private BackendTimeoutException timedOut(Duration budget) {
        return new BackendTimeoutException(
                "remote " + config.name() + " did not answer within " + budget.toMillis() + " ms");
    }

    private static void abort(CompletableFuture<?> future, ResponseStream stream) {
        future.cancel(true);
        stream.cancel();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private String clean(String text) {
        return Redaction.clean(text, config.apiKey());
    }

    private long backoffMillis(int attempt) {
        long base = config.retryBackoff().toMillis();
        long ceiling = Math.min(RemoteConfig.MAX_RETRY_BACKOFF.toMillis(), base * (1L << Math.min(attempt, 20)));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** {@code Retry-After} as seconds or an HTTP date; {@link #DEFAULT_RETRY_AFTER} when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return DEFAULT_RETRY_AFTER;
        }
        String value = header.get().strip();
        try {
            long seconds = Long.parseLong(value);
            return Duration.ofSeconds(Math.max(1, Math.min(seconds, 3600)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                long seconds = Duration.between(Instant.now(), when.toInstant()).toSeconds();
                return Duration.ofSeconds(Math.max(1, Math.min(seconds, 3600)));
            } catch (DateTimeParseException ignored) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    /** A failure that is safe to retry; {@link #toThrow} is what the caller gets when retries run out. */
    private static final class Retriable extends Exception {
        private static final long serialVersionUID = 1L;
        final transient CrosswordException toThrow;

        Retriable(CrosswordException toThrow) {
            super(toThrow.getMessage(), null, false, false);
            this.toThrow = toThrow;
        }
    }
}
