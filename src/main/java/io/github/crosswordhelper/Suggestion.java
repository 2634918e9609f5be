package io.github.crosswordhelper;

import java.util.Objects;

/**
 * One answer that fits the grid.
 *
 * @param answer the grid form: upper-case A-Z only, e.g. {@code MATTDAMON}
 * @param display the form to show a person, e.g. {@code Matt Damon}
 * @param score relevance in 0..1, higher first
 * @param source where it came from, e.g. {@code synonym of pink} or {@code model}
 */
public record Suggestion(String answer, String display, double score, String source) {
    public Suggestion {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(source, "source");
    }
}
