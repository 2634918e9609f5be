package io.github.crosswordhelper.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls candidate answers out of free model text, line by line, as the text streams in. Handles numbered
 * and bulleted lists ({@code 1. Fuchsia - a shade of pink}), quoted answers, comma-separated lists, and
 * skips the chatter around them ("Sure! Here are five answers:").
 *
 * <p>Not thread-safe: one extractor per response.
 */
public final class CandidateExtractor {

    /** An answer is a short phrase; longer runs of words are sentences, i.e. chatter. */
    static final int MAX_ANSWER_WORDS = 4;

    private static final Pattern LIST_MARKER =
            Pattern.compile("^\\s*(?:[-*\u2022\u2023\u25e6>]+|\\(?\\d{1,3}[.):\\]]|[a-zA-Z][.)](?=\\s))\\s*");
    private static final Pattern QUOTED = Pattern.compile("[\"\u201c\u201d\u00ab\u00bb]([^\"\u201c\u201d\u00ab\u00bb]{1,60})[\"\u201c\u201d\u00ab\u00bb]");
    private static final Pattern EXPLANATION = Pattern.compile("\\s+(?:[-\u2013\u2014:=]|\\()\\s*.*$|\\s*[:=]\\s+.*$");
    private static final Pattern EMPHASIS = Pattern.compile("[*_`#]+");
    private static final Pattern TRAILING_PUNCT = Pattern.compile("[\\s.,;!?]+$");
    private static final Pattern LEADING_PHRASE =
            Pattern.compile("^(?i)(?:the\\s+)?(?:answer|answers|solution)\\s+(?:is|are|could be|might be)\\s+");

    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();

    /** @param sink receives each candidate, in order, as soon as its line is complete */
    public CandidateExtractor(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Extracts every candidate from a complete text. */
    public static List<String> extractAll(String text) {
        List<String> out = new ArrayList<>();
        CandidateExtractor e = new CandidateExtractor(out::add);
        e.accept(text);
        e.finish();
        return out;
    }

    /** Feeds a chunk of model text of any size. */
    public void accept(String delta) {
        pending.append(delta);
        int newline;
        while ((newline = indexOfNewline(pending)) >= 0) {
            String line = pending.substring(0, newline);
            pending.delete(0, newline + 1);
            line(line);
        }
    }

    /** Flushes the last, unterminated line. */
    public void finish() {
        if (pending.length() > 0) {
            String line = pending.toString();
            pending.setLength(0);
            line(line);
        }
    }

    private static int indexOfNewline(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    private void line(String raw) {
        String line = EMPHASIS.matcher(raw).replaceAll("").strip();
        if (line.isEmpty()) {
            return;
        }
        Matcher marker = LIST_MARKER.matcher(line);
        boolean listed = marker.find();
        if (listed) {
            line = line.substring(marker.end()).strip();
        }
        // Quoted answers win over everything else on the line: 'The answer is "CORAL".'
        Matcher quoted = QUOTED.matcher(line);
        List<String> quotes = new ArrayList<>();
        while (quoted.find()) {
            quotes.add(quoted.group(1));
        }
        if (!quotes.isEmpty()) {
            quotes.forEach(q -> emit(q.strip()));
            return;
        }
        if (!listed && line.matches(".*[.!?]$") && line.split("\\s+").length >= 3) {
            return; // "I hope this helps!": an unlisted sentence is chatter, not an answer
        }
        line = LEADING_PHRASE.matcher(line).replaceFirst("");
        line = EXPLANATION.matcher(line).replaceFirst("");
        if (!listed && line.endsWith(":")) {
            return; // "Here are five answers:"
        }
        if (line.contains(",") || line.contains(";")) {
            for (String part : line.split("[,;]")) {
                emit(part.strip());
            }
            return;
        }
        emit(line);
    }

    private void emit(String candidate) {
        String c = TRAILING_PUNCT.matcher(candidate).replaceFirst("").strip();
        c = c.replaceFirst("^(?i)(?:and|or)\\s+", "");
        if (c.isEmpty() || c.split("\\s+").length > MAX_ANSWER_WORDS) {
            return;
        }
        if (!c.chars().anyMatch(Character::isLetter)) {
            return;
        }
        sink.accept(c);
    }
}
