package io.github.crosswordhelper;

import java.util.List;

/**
 * The answer to a {@link ClueRequest}: the parsed clue, the suggestions that fit (best first, at most
 * {@code clue.count()}), the candidates the filter refused and why, the backend that served (after any
 * fallback), timings, and whether it came from the cache.
 */
public record SuggestResponse(
        ParsedClue clue,
        List<Suggestion> suggestions,
        List<Rejection> rejected,
        BackendInfo backend,
        Timings timings,
        boolean cached) {
    public SuggestResponse {
        suggestions = List.copyOf(suggestions);
        rejected = List.copyOf(rejected);
    }

    /** The same response, marked as served from the cache. */
    public SuggestResponse fromCache() {
        return new SuggestResponse(clue, suggestions, rejected, backend, timings, true);
    }
}
