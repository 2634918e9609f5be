package io.github.crosswordhelper.backend;

/**
 * A source of candidate answers: the WordNet thesaurus, a local llama.cpp model, a remote model server.
 * Whatever a backend returns goes through the trusted answer filter; a backend never has the last word
 * on what fits.
 *
 * <p>Implementations are thread-safe: {@link #generate} is called from many request threads at once.
 * The service closes every backend it created when it shuts down.
 */
public interface Backend extends AutoCloseable {

    /** The backend's name, e.g. {@code thesaurus} or {@code local}; requests pick a backend by it. */
    String name();

    /** The kind of backend: {@code thesaurus}, {@code local} or {@code remote}. */
    default String kind() {
        return name();
    }

    /** What it runs, for responses and logs, e.g. {@code WordNet 3.1} or a GGUF file name. */
    String model();

    /** Whether it can serve now; {@code false} while a model or dictionary is still loading. */
    boolean isReady();

    /**
     * Produces candidates for one request, streaming them to the listener as they come. Blocks until done.
     * Must stop promptly when the calling thread is interrupted or {@link BackendRequest#deadline()} passes.
     *
     * @throws io.github.crosswordhelper.BackendUnavailableException when it cannot take the request now
     *     (loading, queue full, unreachable); retriable
     * @throws io.github.crosswordhelper.BackendTimeoutException when the deadline passes
     * @throws io.github.crosswordhelper.BackendException when it fails or answers with something broken
     */
    void generate(BackendRequest request, BackendListener listener);

    /**
     * Whether one more request would be admitted now. A cheap, racy hint that lets the caller refuse at
     * once, before parsing and prompting, when the backend's queue is full; {@link #generate} still decides.
     */
    default boolean hasCapacity() {
        return true;
    }

    /** Requests admitted and not yet finished, running or queued, for the queue-depth metric. */
    default int inFlight() {
        return 0;
    }

    /** Releases what the backend holds. The default does nothing. */
    @Override
    default void close() {}
}
