package io.github.crosswordhelper.backend.thesaurus;

import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline backend: answers definition clues from WordNet 3.1, with no model. Loads in the background
 * ({@link #start()}): about 1 s for the dictionary plus 2-3 s of CPU for the lemma and gloss index, so
 * serving is never delayed; until then {@link #isReady()} is false and {@link #generate} answers 503.
 *
 * <p>WordNet is immutable once loaded, so every instance in the JVM shares one copy (about 100 MB of
 * heap), loaded once; {@link #close()} only stops this instance from serving. Thread-safe.
 */
public final class ThesaurusBackend implements Backend {

    private static final Logger LOG = LoggerFactory.getLogger(ThesaurusBackend.class);
    private static final Object LOAD_LOCK = new Object();
    private static CompletableFuture<WordNetThesaurus> shared;

    private final boolean allowVulgar;
    private volatile CompletableFuture<WordNetThesaurus> loading;
    private volatile boolean closed;

    public ThesaurusBackend(boolean allowVulgar) {
        this.allowVulgar = allowVulgar;
    }

    /** Starts loading WordNet on a daemon thread, once per JVM; returns at once. Idempotent. */
    public ThesaurusBackend start() {
        synchronized (LOAD_LOCK) {
            if (shared == null) {
                CompletableFuture<WordNetThesaurus> future = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    long start = System.nanoTime();
                    try {
                        WordNetThesaurus th = new WordNetThesaurus();
                        th.warmUpWordIndex();
                        LOG.info("WordNet 3.1 loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
                        future.complete(th);
                    } catch (Throwable e) {
                        LOG.error("WordNet failed to load", e);
                        future.completeExceptionally(e);
                    }
                }, "thesaurus-loader");
                t.setDaemon(true);
                t.start();
                shared = future;
            }
            loading = shared;
        }
        return this;
    }

    /** Completes when WordNet is loaded; completes exceptionally if loading failed or was never started. */
    public CompletableFuture<Void> ready() {
        CompletableFuture<WordNetThesaurus> f = loading;
        return f == null
                ? CompletableFuture.failedFuture(new IllegalStateException("start() was not called"))
                : f.thenApply(th -> null);
    }

    /**
     * The loaded thesaurus, for the word search.
     *
     * @throws BackendUnavailableException while WordNet is loading, or when it failed to load
     */
    public WordNetThesaurus thesaurus() {
        CompletableFuture<WordNetThesaurus> f = loading;
        if (closed || f == null || !f.isDone()) {
            throw new BackendUnavailableException(
                    closed ? "thesaurus is closed" : "thesaurus is still loading WordNet", Duration.ofSeconds(1));
        }
        if (f.isCompletedExceptionally()) {
            throw new BackendUnavailableException("thesaurus failed to load WordNet; see the service log",
                    Duration.ofSeconds(60));
        }
        return f.join();
    }

    @Override
    public String name() {
        return "thesaurus";
    }

    @Override
    public String kind() {
        return "thesaurus";
    }

    @Override
    public String model() {
        return "WordNet 3.1";
    }

    @Override
    public boolean isReady() {
        CompletableFuture<WordNetThesaurus> f = loading;
        return !closed && f != null && f.isDone() && !f.isCompletedExceptionally();
    }

    @Override
    public void generate(BackendRequest request, BackendListener listener) {
        WordNetThesaurus th = thesaurus();
        ParsedClue clue = request.clue();
        Instant deadline = request.deadline();
        int limit = Math.max(clue.count() * 4, 20);
        List<ThesaurusCandidate> out = th.suggest(clue.text(), clue.enumeration(), clue.length(), clue.pattern(),
                limit, request.exclude(), allowVulgar, deadline);
        if (Instant.now().isAfter(deadline)) {
            throw new BackendTimeoutException("thesaurus lookup did not finish before the deadline");
        }
        for (ThesaurusCandidate c : out) {
            listener.onCandidate(c.display(), c.score(), c.source());
        }
    }

    /** Stops this instance from serving; the shared WordNet data stays loaded for the JVM's life. */
    @Override
    public void close() {
        closed = true;
    }
}
