package io.github.crosswordhelper.backend.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach one remote model server. Build one with {@link #builder()}.
 *
 * @param name the backend's name, as requests select it, e.g. {@code remote}
 * @param url the server's base URL ({@code http} or {@code https}); protocol paths are appended to it
 * @param protocol the wire protocol the server speaks
 * @param model the model to ask for; for {@link RemoteProtocol#SPIN} it defaults to {@code llama2-chat}
 * @param apiKey a bearer token, or {@code null}; never printed by {@link #toString()}
 * @param llamaCppGrammar for {@link RemoteProtocol#OPENAI}: the server is llama.cpp's, so send the GBNF
 *     {@code grammar} instead of an OpenAI {@code response_format}
 * @param connectTimeout how long to wait for the TCP/TLS connection
 * @param timeout how long one attempt may take in all (never beyond the request's deadline)
 * @param maxRetries how many times to retry a failure that is safe to retry, 0..10
 * @param retryBackoff the first retry's backoff; it doubles per retry with full jitter, capped at 2 s
 * @param stream whether to ask for a streamed response (openai and ollama; spin never streams)
 */
public record RemoteConfig(
        String name,
        URI url,
        RemoteProtocol protocol,
        String model,
        String apiKey,
        boolean llamaCppGrammar,
        Duration connectTimeout,
        Duration timeout,
        int maxRetries,
        Duration retryBackoff,
        boolean stream) {

    /** The model Spin's remote_http protocol asks for unless told otherwise. */
    public static final String SPIN_DEFAULT_MODEL = "llama2-chat";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    /** The longest backoff between two attempts. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(2);
    static final int MAX_RETRIES_LIMIT = 10;

    public RemoteConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        name = name.strip();
        if (name.length() > 64 || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("name must be at most 64 characters without whitespace: " + name);
        }
        url = validateUrl(url);
        Objects.requireNonNull(protocol, "protocol must be set (openai, ollama or spin)");
        if (model == null && protocol == RemoteProtocol.SPIN) {
            model = SPIN_DEFAULT_MODEL;
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank for protocol " + protocol.wireName());
        }
        model = model.strip();
        if (apiKey != null) {
            if (apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank (leave it unset instead)");
            }
            if (apiKey.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                // Not echoing the key: it would land in logs.
                throw new IllegalArgumentException("apiKey must not contain whitespace or control characters");
            }
        }
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("timeout", timeout);
        requirePositive("retryBackoff", retryBackoff);
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxRetries must be between 0 and " + MAX_RETRIES_LIMIT + ", not " + maxRetries);
        }
    }

    private static URI validateUrl(URI url) {
        if (url == null) {
            throw new IllegalArgumentException("url must be set");
        }
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("url must be an http or https URL, not: " + safeUrl(url));
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException("url must have a host: " + safeUrl(url));
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not contain credentials; set apiKey instead");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a query or fragment: " + safeUrl(url));
        }
        return url;
    }

    private static String safeUrl(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : "(a URL with credentials)";
    }

    private static void requirePositive(String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be a positive duration, not " + value);
        }
    }

    /** The base URL without a trailing slash, to append protocol paths to. */
    String baseUrl() {
        String base = url.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    @Override
    public String toString() {
        return "RemoteConfig[name=" + name
                + ", url=" + url
                + ", protocol=" + protocol.wireName()
                + ", model=" + model
                + ", apiKey=" + (apiKey == null ? "null" : "****")
                + ", llamaCppGrammar=" + llamaCppGrammar
                + ", connectTimeout=" + connectTimeout
                + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries
                + ", retryBackoff=" + retryBackoff
                + ", stream=" + stream
                + "]";
    }

    /** A builder with the defaults: name {@code remote}, 5 s connect, 60 s timeout, 2 retries from 200 ms, streaming. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .name(name)
                .url(url)
                .protocol(protocol)
                .model(model)
                .apiKey(apiKey)
                .llamaCppGrammar(llamaCppGrammar)
                .connectTimeout(connectTimeout)
                .timeout(timeout)
                .maxRetries(maxRetries)
                .retryBackoff(retryBackoff)
                .stream(stream);
    }

    /** Builds a {@link RemoteConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String name = "remote";
        private URI url;
        private RemoteProtocol protocol;
        private String model;
        private String apiKey;
        private boolean llamaCppGrammar;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private boolean stream = true;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder url(URI url) {
            this.url = url;
            return this;
        }

        /** Parses the URL; an unparsable one is an {@link IllegalArgumentException} naming {@code url}. */
        public Builder url(String url) {
            if (url == null) {
                this.url = null;
                return this;
            }
            try {
                this.url = new URI(url.strip());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage(), e);
            }
            return this;
        }

        public Builder protocol(RemoteProtocol protocol) {
            this.protocol = protocol;
            return this;
        }

        /** Sets the protocol by wire name: {@code openai}, {@code ollama} or {@code spin}. */
        public Builder protocol(String wireName) {
            this.protocol = RemoteProtocol.fromWireName(wireName);
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder llamaCppGrammar(boolean llamaCppGrammar) {
            this.llamaCppGrammar = llamaCppGrammar;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public RemoteConfig build() {
            return new RemoteConfig(name, url, protocol, model, apiKey, llamaCppGrammar, connectTimeout, timeout,
                    maxRetries, retryBackoff, stream);
        }

        @Override
        public String toString() {
            return "RemoteConfig.Builder[name=" + name + ", url=" + url + ", protocol=" + protocol
                    + ", apiKey=" + (apiKey == null ? "null" : "****") + "]";
        }
    }
}
