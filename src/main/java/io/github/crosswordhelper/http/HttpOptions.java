package io.github.crosswordhelper.http;

import java.util.Objects;
import java.util.Optional;

/**
 * HTTP-layer settings.
 *
 * @param maxBodyBytes largest accepted request body on the API routes
 * @param apiKey the key that {@code POST /infer} requires as {@code authorization: bearer <key>}; with none,
 *     {@code /infer} is refused
 */
public record HttpOptions(int maxBodyBytes, Optional<String> apiKey) {

    public static final HttpOptions DEFAULTS = new HttpOptions(HttpApi.DEFAULT_MAX_BODY_BYTES, Optional.empty());

    public HttpOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        Objects.requireNonNull(apiKey, "apiKey");
    }

    public HttpOptions withApiKey(String key) {
        return new HttpOptions(maxBodyBytes, Optional.of(key));
    }

    @Override
    public String toString() {
        return "HttpOptions[maxBodyBytes=" + maxBodyBytes + ", apiKey=" + (apiKey.isPresent() ? "****" : "none") + "]";
    }
}
