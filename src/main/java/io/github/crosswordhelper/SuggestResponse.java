package io.github.crosswordhelper;

import java.util.List;

/**
 * The answer to a {@link ClueRequest}: the parsed clue, the suggestions that fit (best first, at most
 * {@code clue.count()}), the candidates the filter refused and why, the backend that served, and timings.
 */
public record SuggestResponse(
        ParsedClue clue, List<Suggestion> suggestions, List<Rejection> rejected, BackendInfo backend, Timings timings) {
    public SuggestResponse {
        suggestions = List.copyOf(suggestions);
        rejected = List.copyOf(rejected);
    }
}
