package io.github.crosswordhelper;

/**
 * Receives measurements from the library, so a service can export them (the HTTP server feeds Micrometer)
 * without the core depending on a metrics library. Implementations must be thread-safe and fast: they
 * are called on request threads. Every method defaults to doing nothing.
 */
public interface CrosswordMetrics {

    /** Records nothing. */
    CrosswordMetrics NONE = new CrosswordMetrics() {};

    /** One Wasm component call: its name ({@code clue-parser}), how long it took, whether it succeeded. */
    default void wasmCall(String component, long nanos, boolean ok) {}

    /**
     * One backend call.
     *
     * @param outcome {@code ok}, {@code unavailable}, {@code timeout} or {@code error}
     */
    default void backendCall(String backend, long nanos, String outcome) {}

    /** Tokens a backend generated for one request. */
    default void tokens(String backend, int count) {}

    /** One suggestion request answered from the cache ({@code hit}) or not. */
    default void cache(boolean hit) {}
}
