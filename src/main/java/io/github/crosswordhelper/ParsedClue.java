package io.github.crosswordhelper;

import java.util.List;
import java.util.Objects;

/**
 * A clue as the clue-parser component understood it.
 *
 * @param text the clue without its enumeration, trimmed, whitespace collapsed
 * @param enumeration word lengths, e.g. {@code [4, 5]}; empty when unknown
 * @param length total letters, or {@code null} when unknown
 * @param pattern normalised pattern: {@code A-Z}, {@code ?} per unknown letter, {@code *} for any run; or
 *     {@code null}
 * @param count how many suggestions are wanted, 1..20
 * @param kind what sort of clue it is
 * @param quoted phrases in double quotes
 */
public record ParsedClue(
        String text,
        List<Integer> enumeration,
        Integer length,
        String pattern,
        int count,
        ClueKind kind,
        List<String> quoted) {

    public ParsedClue {
        Objects.requireNonNull(text, "text");
        enumeration = List.copyOf(enumeration);
        Objects.requireNonNull(kind, "kind");
        quoted = List.copyOf(quoted);
    }
}
