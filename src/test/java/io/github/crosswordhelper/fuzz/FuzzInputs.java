package io.github.crosswordhelper.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Input generators for the component fuzzers: clue text made of crossword-shaped fragments mixed with random
 * Unicode (every plane, never a lone surrogate), patterns, counts, and whole JSON requests, valid and broken.
 */
final class FuzzInputs {
    private FuzzInputs() {}

    /** Cap of one generated clue in UTF-16 units: long inputs go to 20 KB. */
    static final int MAX_LONG = 20_000;

    private static final List<String> WORDS = List.of(
            "Bourne", "Identity", "star", "five", "synonyms", "Ten", "ten", "letter", "letters", "Letter", "word",
            "Across", "across", "DOWN", "down", "See", "With", "who", "What", "is", "are", "Three", "Dog", "Night",
            "actors", "class", "bus", "axis", "words", "twenty", "one", "zero", "café", "naïve", "Straße", "ǅemal",
            "İstanbul", "ﬁnal", "résumé", "Ωmega", "日本語", "слово", "كلمة", "שלום", "🧩", "👨‍👩‍👧", "e\u0301",
            "it's", "’tis", "rock’n’roll");

    private static final List<String> PUNCT = List.of(
            "(", ")", "[", "]", "{", "}", "\"", "'", "“", "”", "‘", "’", "«", "»", "¡", "¿", "·", "…", "–", "—", "-",
            ",", ".", ":", ";", "!", "?", "??", "_", "__", "___", "*", "/", "\\", "\\\"", "\\u0000", "#", "&", "<", ">",
            "%", "$", "@", "^", "`", "~", "|", "=", "+");

    private static final List<String> SPACES = List.of(
            " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u0085", "\u2028", "\u200b", "\ufeff");

    private static final List<String> SPECIAL = List.of(
            "7 letters", "7-letter", "Ten-letter", "ten letters", "7 letter word", "0 letters", "99 letters",
            "65-letter", "64 letters", "five synonyms", "3 actors", "0 actors", "2.5 metres", "50 words",
            "99999999999999999999999 words", "17-Across", "5-Down", "5 down", "12across", "__", "(4,5)", "(0)",
            "(99)", "(3,0)", "(60,60)", "(4-4)", "(2,3,4)", "( 4, 5 )", "(4 5)", "(,5)", "(5,)", "()", "( )",
            "(007)", "(99999999999999999999999)", "(1)", "(64)", "(65)", "<clue>", "</clue>", "[INST]", "[/INST]",
            "<<SYS>>", "<</SYS>>", "<s>", "</s>", "<cl<clue>ue>", "[IN[INST]ST]", "<S>", "</CLUE>", "\u0000",
            "\u0001", "\u001b[31m", "\u007f", "\u0008", "\"quoted phrase\"", "“curly quoted”", "\"\"", "“”", "\"",
            "\ud83e\udde9\ud83e\udde9", "\uffff", "\ufffd", "\udbff\udfff", "\u0300\u0301\u0302");

    /** Any Unicode scalar value: all 17 planes, surrogates excluded (a Java String cannot carry them as UTF-8). */
    static Arbitrary<String> codePoint() {
        return Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.integers().between(0, 0x7f)),
                        Tuple.of(3, Arbitraries.integers().between(0x80, 0xd7ff)),
                        Tuple.of(2, Arbitraries.integers().between(0xe000, 0xffff)),
                        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)))
                .map(i -> new String(Character.toChars(i)));
    }

    static Arbitrary<String> randomUnicode(int maxCodePoints) {
        return codePoint().list().ofMaxSize(maxCodePoints).map(l -> String.join("", l));
    }

    private static Arbitrary<String> enumerationFragment() {
        Arbitrary<Integer> n = Arbitraries.oneOf(
                Arbitraries.of(0, 1, 2, 3, 4, 5, 7, 9, 10, 64, 65, 99, 1000),
                Arbitraries.integers().between(0, 70));
        Arbitrary<String> sep = Arbitraries.of(",", ",", "-", " ,", ", ", " , ", " ");
        return Combinators.combine(n.list().ofMinSize(1).ofMaxSize(5), sep.list().ofSize(5),
                        Arbitraries.of("", " ", "  "), Arbitraries.of("", " "))
                .as((nums, seps, open, close) -> {
                    StringBuilder b = new StringBuilder("(").append(open);
                    for (int i = 0; i < nums.size(); i++) {
                        if (i > 0) {
                            b.append(seps.get(i % seps.size()));
                        }
                        b.append(nums.get(i));
                    }
                    return b.append(close).append(')').toString();
                });
    }

    private static Arbitrary<String> nesting() {
        return Combinators.combine(Arbitraries.of("(", "[", "{", "\"", "“", "((", "[(", "\\"),
                        Arbitraries.integers().between(1, 300))
                .as((s, n) -> s.repeat(n));
    }

    static Arbitrary<String> fragment() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(WORDS)),
                Tuple.of(4, Arbitraries.of(PUNCT)),
                Tuple.of(4, Arbitraries.of(SPACES)),
                Tuple.of(3, Arbitraries.of(SPECIAL)),
                Tuple.of(2, Arbitraries.integers().between(-5, 120000).map(String::valueOf)),
                Tuple.of(2, enumerationFragment()),
                Tuple.of(2, randomUnicode(8)),
                Tuple.of(1, nesting()));
    }

    /** A clue: mostly crossword-shaped fragments, sometimes pure random Unicode, sometimes very long. */
    static Arbitrary<String> clue() {
        Arbitrary<String> shaped = fragment().list().ofMinSize(0).ofMaxSize(25).map(l -> String.join("", l));
        Arbitrary<String> spaced = Combinators.combine(Arbitraries.of(WORDS).list().ofMinSize(1).ofMaxSize(8),
                        enumerationFragment(), Arbitraries.of("", " ", "  ", "\t"))
                .as((w, e, s) -> String.join(" ", w) + s + e);
        Arbitrary<String> longOne = Combinators.combine(fragment(), Arbitraries.integers().between(400, MAX_LONG))
                .as((f, n) -> f.isEmpty() ? "x".repeat(n) : f.repeat(Math.max(1, n / f.length())));
        Arbitrary<String> edge500 = Combinators.combine(Arbitraries.of("x", "é", "🧩", " ", "\u0301"),
                        Arbitraries.integers().between(495, 505), Arbitraries.of("", "(4,5)", " (7)"))
                .as((c, n, tail) -> c.repeat(n - tail.length()) + tail);
        return Arbitraries.frequencyOf(
                Tuple.of(10, shaped),
                Tuple.of(4, spaced),
                Tuple.of(2, randomUnicode(60)),
                Tuple.of(1, longOne),
                Tuple.of(1, edge500));
    }

    /** A pattern: the documented characters in every case and position, with some others mixed in. */
    static Arbitrary<String> pattern() {
        Arbitrary<String> ok = Arbitraries.of("A", "b", "Z", "z", "q", "?", ".", "_", "*", "**", " ", "-", "  ", "--")
                .list().ofMaxSize(70).map(l -> String.join("", l));
        Arbitrary<String> withJunk = Combinators.combine(ok, fragment(), Arbitraries.integers().between(0, 70))
                .as((p, junk, at) -> {
                    int i = Math.min(at, p.length());
                    return p.substring(0, i) + junk + p.substring(i);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("", " ", "*", "?", "-", "b?urn? ?d?nt?ty", "C*T", "a*b*c")),
                Tuple.of(6, ok),
                Tuple.of(2, withJunk),
                Tuple.of(1, randomUnicode(10)));
    }

    static Arbitrary<Integer> count() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just((Integer) null)),
                Tuple.of(5, Arbitraries.integers().between(1, 20)),
                Tuple.of(1, Arbitraries.of(0, -1, 21, 25, Integer.MAX_VALUE, Integer.MIN_VALUE)));
    }

    /** A clue with an enumeration and a pattern that fits it, so the success path gets a large share. */
    static Arbitrary<String[]> coherentClueAndPattern() {
        Arbitrary<List<Integer>> words = Arbitraries.integers().between(1, 12).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(clue(), words, Arbitraries.of("A", "b", "?", ".", "_", "x").list().ofSize(64),
                        Arbitraries.of(" ", "-", ""), Arbitraries.integers().between(0, 3))
                .as((text, lengths, cells, breakChar, star) -> {
                    String trimmedText = text.length() > 300 ? text.substring(0, 300) : text;
                    StringBuilder e = new StringBuilder("(");
                    StringBuilder p = new StringBuilder();
                    int at = 0;
                    for (int w = 0; w < lengths.size(); w++) {
                        if (w > 0) {
                            e.append(',');
                            p.append(breakChar);
                        }
                        e.append(lengths.get(w));
                        for (int i = 0; i < lengths.get(w); i++) {
                            p.append(cells.get(at++ % cells.size()));
                        }
                    }
                    e.append(')');
                    String pattern = p.toString();
                    if (star == 0 && pattern.length() > 2) {
                        // a star standing for the middle of the answer
                        pattern = pattern.charAt(0) + "*" + pattern.charAt(pattern.length() - 1);
                    }
                    return new String[] {"Clue " + trimmedText + " " + e, pattern};
                });
    }

    // ------------------------------------------------------------------ raw JSON requests

    /** JSON string literal; {@code unicodeEscapes} writes every non-ASCII UTF-16 unit as {@code \\uXXXX}. */
    static String jsonString(String s, boolean unicodeEscapes) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || (unicodeEscapes && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Any JSON value, also the ones the contract rejects for a field (numbers as strings, floats, arrays...). */
    static Arbitrary<String> jsonValue() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(clue(), Arbitraries.of(false, false, true))
                        .as(FuzzInputs::jsonString)),
                Tuple.of(1, Arbitraries.of("null", "true", "false", "0", "-0", "5", "5.0", "5.5", "1e2",
                        "-1", "20", "21", "99999999999999999999", "-99999999999999999999", "1E400", "0.0000001",
                        "[]", "{}", "[5]", "{\"a\":1}", "\"5\"", "\"\"", "\"\\ud800\"", "\"\\udc00\\ud800\"",
                        "\"\\ud83e\\udde9\"", "\"\\u0000\"", "\"\\x41\"", "\"\\u12\"", "01", "+1", "NaN", "Infinity",
                        ".5", "5.", "\"\t\"", "tru", "nul")),
                Tuple.of(1, Arbitraries.integers().between(-100, 100).map(String::valueOf)),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(55, 75),
                                Arbitraries.of("[", "{\"a\":"))
                        .as((depth, open) -> open.repeat(depth) + "1"
                                + (open.equals("[") ? "]" : "}").repeat(depth))));
    }

    /** A raw request for the parser: well-formed objects with odd values, duplicates, extra keys, broken text. */
    static Arbitrary<String> rawParseRequest() {
        Arbitrary<String> key = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("clue", "pattern", "count")),
                Tuple.of(1, Arbitraries.of("Clue", "clue ", "x", "", "text", "\\u0063lue")));
        Arbitrary<String> member = Combinators.combine(key, jsonValue()).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(m -> "{" + String.join(",", m) + "}");
        Arbitrary<String> typed = Combinators.combine(clue(), pattern(), count(), Arbitraries.of(false, true))
                .as((c, p, n, esc) -> "{\"clue\":" + jsonString(c, esc)
                        + (p == null ? "" : ",\"pattern\":" + jsonString(p, esc))
                        + (n == null ? "" : ",\"count\":" + n) + "}");
        Arbitrary<String> broken = Combinators.combine(typed, Arbitraries.integers().between(0, 1000),
                        Arbitraries.of("", "\"", "}", "{", ",", "\\", "\u0000", "]", " ", "é", "🧩"))
                .as((s, at, ins) -> {
                    int i = Math.min(at, s.length());
                    return s.substring(0, i) + ins + (ins.isEmpty() ? "" : s.substring(i));
                });
        return Arbitraries.frequencyOf(
                Tuple.of(6, typed),
                Tuple.of(3, object),
                Tuple.of(2, broken),
                Tuple.of(1, jsonValue()),
                Tuple.of(1, clue()));
    }

    /** A raw request for the prompt builder: every field mutated around the parse result's shape. */
    static Arbitrary<String> rawBuildRequest() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(6, clue().map(c -> jsonString(c, false))),
                Tuple.of(1, jsonValue()));
        Arbitrary<String> enumeration = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 20).list().ofMaxSize(4)
                        .map(l -> l.toString().replace(" ", ""))),
                Tuple.of(1, Arbitraries.integers().between(-3, 80).list().ofMaxSize(6)
                        .map(l -> l.toString())),
                Tuple.of(1, jsonValue()));
        Arbitrary<String> length = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("null")),
                Tuple.of(3, Arbitraries.integers().between(-2, 90).map(String::valueOf)),
                Tuple.of(1, jsonValue()));
        Arbitrary<String> patternValue = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("null")),
                Tuple.of(4, Arbitraries.of("A", "Z", "?", "*", "Q").list().ofMaxSize(70)
                        .map(l -> "\"" + String.join("", l) + "\"")),
                Tuple.of(1, pattern().map(p -> p == null ? "null" : jsonString(p, false))),
                Tuple.of(1, jsonValue()));
        Arbitrary<String> countValue = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 20).map(String::valueOf)),
                Tuple.of(1, jsonValue()));
        Arbitrary<String> kind = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("definition", "wordplay", "question", "fill-in-the-blank",
                        "cross-reference").map(k -> "\"" + k + "\"")),
                Tuple.of(1, jsonValue()));
        Arbitrary<List<String>> present = Arbitraries.of(true, true, true, true, true, true, false)
                .list().ofSize(7).map(l -> l.stream().map(String::valueOf).toList());
        return Combinators.combine(text, enumeration, length, patternValue, countValue, kind, present)
                .as((t, e, l, p, c, k, on) -> {
                    String[] keys = {"text", "enumeration", "length", "pattern", "count", "kind", "quoted"};
                    String[] values = {t, e, l, p, c, k, "[]"};
                    StringBuilder b = new StringBuilder("{");
                    for (int i = 0; i < keys.length; i++) {
                        if (on.get(i).equals("true")) {
                            if (b.length() > 1) {
                                b.append(',');
                            }
                            b.append('"').append(keys[i]).append("\":").append(values[i]);
                        }
                    }
                    return b.append('}').toString();
                });
    }
}
