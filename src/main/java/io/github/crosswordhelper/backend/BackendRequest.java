package io.github.crosswordhelper.backend;

import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a backend gets for one request.
 *
 * @param clue the parsed clue
 * @param prompt the prompt, grammar and parameters built for it
 * @param exclude grid-form answers to leave out (the filter removes them anyway)
 * @param seed a sampling seed for reproducible output, when the caller wants one
 * @param deadline when the backend must have finished
 */
public record BackendRequest(ParsedClue clue, Prompt prompt, Set<String> exclude, OptionalLong seed, Instant deadline) {
    public BackendRequest {
        Objects.requireNonNull(clue, "clue");
        Objects.requireNonNull(prompt, "prompt");
        exclude = Set.copyOf(exclude);
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(deadline, "deadline");
    }
}
