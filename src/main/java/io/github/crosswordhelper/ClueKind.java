package io.github.crosswordhelper;

import java.util.Locale;

/** What sort of clue the parser recognised. When several apply, the first constant wins. */
public enum ClueKind {
    /** Points at another entry: "See 17-Across", "With 5-Down, ...". */
    CROSS_REFERENCE,
    /** Contains a blank: a run of two or more underscores. */
    FILL_IN_THE_BLANK,
    /** Ends in "?" and starts with a question word or an auxiliary verb. */
    QUESTION,
    /** Any other clue that ends in "?", such as "Bank account?". */
    WORDPLAY,
    /** Anything else. */
    DEFINITION;

    /** The name on the wire, e.g. {@code cross-reference}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant for a wire name. */
    public static ClueKind fromWireName(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
