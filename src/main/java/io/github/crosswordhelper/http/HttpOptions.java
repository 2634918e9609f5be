package io.github.crosswordhelper.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP-layer settings.
 *
 * @param maxBodyBytes largest accepted request body on the API routes
 * @param apiKey the key that {@code POST /infer} requires as {@code authorization: bearer <key>}; with none,
 *     {@code /infer} is refused
 * @param metrics where request metrics go and what {@code GET /metrics} shows; share it with the helper
 * @param drainTimeout how long stopping the server waits for in-flight requests
 */
public record HttpOptions(int maxBodyBytes, Optional<String> apiKey, Metrics metrics, Duration drainTimeout) {

    public static final HttpOptions DEFAULTS =
            new HttpOptions(HttpApi.DEFAULT_MAX_BODY_BYTES, Optional.empty(), null, Duration.ofSeconds(30));

    public HttpOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    public HttpOptions withApiKey(String key) {
        return new HttpOptions(maxBodyBytes, Optional.of(key), metrics, drainTimeout);
    }

    public HttpOptions withMetrics(Metrics m) {
        return new HttpOptions(maxBodyBytes, apiKey, m, drainTimeout);
    }

    @Override
    public String toString() {
        return "HttpOptions[maxBodyBytes=" + maxBodyBytes + ", apiKey=" + (apiKey.isPresent() ? "****" : "none")
                + ", drainTimeout=" + drainTimeout + "]";
    }
}
