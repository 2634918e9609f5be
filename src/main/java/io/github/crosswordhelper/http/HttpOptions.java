package io.github.crosswordhelper.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP-layer settings. Immutable; start from {@link #DEFAULTS} and use the withers.
 *
 * @param maxBodyBytes largest accepted request body on the API routes
 * @param apiKey the key that {@code /api/*} and {@code POST /infer} require as {@code Authorization: Bearer
 *     <key>}; with none, {@code /api/*} is open and {@code /infer} is refused
 * @param metrics where request metrics go and what {@code GET /metrics} shows; share it with the helper
 * @param drainTimeout how long stopping the server waits for in-flight requests
 * @param protectOperations also require the key on health, metrics and {@code /openapi.json}
 * @param protectPage also require the key for the web page and its files
 * @param corsOrigins browser origins allowed to call the API cross-origin; empty turns CORS off
 * @param rateLimitPerMinute requests per minute per client address on {@code /api/*} and {@code /infer}
 *     (a token bucket); 0 turns rate limiting off
 */
public record HttpOptions(
        int maxBodyBytes,
        Optional<String> apiKey,
        Metrics metrics,
        Duration drainTimeout,
        boolean protectOperations,
        boolean protectPage,
        List<String> corsOrigins,
        int rateLimitPerMinute) {

    public static final HttpOptions DEFAULTS = new HttpOptions(HttpApi.DEFAULT_MAX_BODY_BYTES, Optional.empty(), null,
            Duration.ofSeconds(30), false, false, List.of(), 0);

    public HttpOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        corsOrigins = List.copyOf(corsOrigins);
        if (rateLimitPerMinute < 0) {
            throw new IllegalArgumentException("rateLimitPerMinute must be >= 0, got " + rateLimitPerMinute);
        }
    }

    public HttpOptions withApiKey(String key) {
        return new HttpOptions(maxBodyBytes, Optional.of(key), metrics, drainTimeout, protectOperations, protectPage,
                corsOrigins, rateLimitPerMinute);
    }

    public HttpOptions withMetrics(Metrics m) {
        return new HttpOptions(maxBodyBytes, apiKey, m, drainTimeout, protectOperations, protectPage, corsOrigins,
                rateLimitPerMinute);
    }

    public HttpOptions withProtection(boolean operations, boolean page) {
        return new HttpOptions(maxBodyBytes, apiKey, metrics, drainTimeout, operations, page, corsOrigins,
                rateLimitPerMinute);
    }

    public HttpOptions withCorsOrigins(List<String> origins) {
        return new HttpOptions(maxBodyBytes, apiKey, metrics, drainTimeout, protectOperations, protectPage, origins,
                rateLimitPerMinute);
    }

    public HttpOptions withRateLimit(int perMinute) {
        return new HttpOptions(maxBodyBytes, apiKey, metrics, drainTimeout, protectOperations, protectPage,
                corsOrigins, perMinute);
    }

    @Override
    public String toString() {
        return "HttpOptions[maxBodyBytes=" + maxBodyBytes + ", apiKey=" + (apiKey.isPresent() ? "****" : "none")
                + ", drainTimeout=" + drainTimeout + ", protectOperations=" + protectOperations + ", protectPage="
                + protectPage + ", corsOrigins=" + corsOrigins + ", rateLimitPerMinute=" + rateLimitPerMinute + "]";
    }
}
