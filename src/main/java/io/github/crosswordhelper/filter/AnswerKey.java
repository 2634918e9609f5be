package io.github.crosswordhelper.filter;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The grid form of an answer: accents folded, upper case, spaces, hyphens and apostrophes dropped. Also
 * remembers the word lengths the display form had, so {@code Matt Damon} can be checked against
 * {@code (4,5)}.
 */
public record AnswerKey(String key, List<Integer> wordLengths) {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern BREAKS = Pattern.compile("[\\s\\-\u2010\u2011\u2012\u2013\u2014_]+");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2018\u2019\u02bc`.]");

    public AnswerKey {
        wordLengths = List.copyOf(wordLengths);
    }

    /**
     * Normalises a display form. Returns a key with characters outside A-Z left in, so the caller can
     * reject it with a reason; see {@link #isLettersOnly()}.
     */
    public static AnswerKey of(String display) {
        String folded = foldAccents(display.strip());
        folded = APOSTROPHES.matcher(folded).replaceAll("");
        List<Integer> lengths = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (String word : BREAKS.split(folded)) {
            if (word.isEmpty()) {
                continue;
            }
            String upper = word.toUpperCase(Locale.ROOT);
            lengths.add(upper.length());
            key.append(upper);
        }
        return new AnswerKey(key.toString(), lengths);
    }

    /** Folds accents and ligatures a grid would write plainly: {@code Café} becomes {@code Cafe}. */
    public static String foldAccents(String text) {
        String s = text.replace("\u00df", "ss").replace("\u00e6", "ae").replace("\u00c6", "AE")
                .replace("\u0153", "oe").replace("\u0152", "OE").replace("\u00f8", "o").replace("\u00d8", "O");
        return MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
    }

    public boolean isLettersOnly() {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    public int length() {
        return key.length();
    }
}
