package io.github.crosswordhelper;

import java.util.List;
import java.util.Objects;

/**
 * One request for help with a clue. Only {@code clue} is required.
 *
 * @param clue the clue as printed, possibly with a trailing enumeration such as {@code (4,5)}
 * @param pattern known letters, e.g. {@code P?NK} or {@code b?urn? ?d?nt?ty}; {@code null} or empty for none
 * @param count how many suggestions are wanted (1..20); {@code null} to take it from the clue or default to 5
 * @param exclude answers the person already tried, which never come back
 * @param backend the backend to ask, by name; {@code null} for the default
 * @param seed a sampling seed, for reproducible model output; {@code null} for a random one
 */
public record ClueRequest(String clue, String pattern, Integer count, List<String> exclude, String backend, Long seed) {

    public ClueRequest {
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /** A request with just a clue. */
    public static ClueRequest of(String clue) {
        return builder(clue).build();
    }

    public static Builder builder(String clue) {
        return new Builder(clue);
    }

    /** Builds a {@link ClueRequest}; validation of the values happens in the clue parser. */
    public static final class Builder {
        private final String clue;
        private String pattern;
        private Integer count;
        private List<String> exclude = List.of();
        private String backend;
        private Long seed;

        private Builder(String clue) {
            this.clue = Objects.requireNonNull(clue, "clue");
        }

        public Builder pattern(String pattern) {
            this.pattern = pattern;
            return this;
        }

        public Builder count(int count) {
            this.count = count;
            return this;
        }

        public Builder exclude(List<String> exclude) {
            this.exclude = List.copyOf(exclude);
            return this;
        }

        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ClueRequest build() {
            return new ClueRequest(clue, pattern, count, exclude, backend, seed);
        }
    }
}
