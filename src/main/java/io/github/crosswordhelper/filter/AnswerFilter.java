package io.github.crosswordhelper.filter;

import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Rejection;
import io.github.crosswordhelper.Suggestion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The trusted gate every backend's output passes: a candidate becomes a {@link Suggestion} only when it
 * fits the grid (length, word lengths, known letters), is not excluded, and is not offensive. Everything
 * else becomes a {@link Rejection} with a reason a person can read, except offensive words, which are
 * dropped without a trace.
 *
 * <p>One filter per request; not thread-safe.
 */
public final class AnswerFilter {

    /** What happened to one candidate. */
    public sealed interface Verdict permits Accepted, Rejected, Dropped {}

    public record Accepted(Suggestion suggestion) implements Verdict {}

    public record Rejected(Rejection rejection) implements Verdict {}

    /** A duplicate or a blocked word: neither suggested nor reported. */
    public record Dropped(String why) implements Verdict {}

    private final ParsedClue clue;
    private final Set<String> excluded;
    private final Blocklist blocklist;
    private final Pattern starPattern;
    private final Map<String, Suggestion> accepted = new LinkedHashMap<>();
    private final Set<String> rejectedKeys = new HashSet<>();
    private final List<Rejection> rejected = new ArrayList<>();

    /**
     * @param exclude answers the person already tried, in any form ("Matt Damon", "MATTDAMON")
     * @param blocklist offensive words to drop, or {@link Blocklist#NONE} to allow everything
     */
    public AnswerFilter(ParsedClue clue, Collection<String> exclude, Blocklist blocklist) {
        this.clue = clue;
        this.excluded = exclude.stream().map(e -> AnswerKey.of(e).key()).collect(Collectors.toUnmodifiableSet());
        this.blocklist = blocklist;
        String pattern = clue.pattern();
        this.starPattern = pattern != null && pattern.indexOf('*') >= 0
                ? Pattern.compile(pattern.replace("?", "[A-Z]").replace("*", "[A-Z]*"))
                : null;
    }

    /** Judges one candidate and records the outcome. */
    public Verdict offer(String display, double score, String source) {
        String shown = display.strip();
        AnswerKey key = AnswerKey.of(shown);
        if (accepted.containsKey(key.key()) || rejectedKeys.contains(key.key())) {
            return new Dropped("duplicate");
        }
        if (blocklist.isBlocked(key.key())) {
            rejectedKeys.add(key.key());
            return new Dropped("blocked");
        }
        String reason = misfit(key);
        if (reason == null && excluded.contains(key.key())) {
            reason = "excluded by the request";
        }
        if (reason != null) {
            rejectedKeys.add(key.key());
            Rejection r = new Rejection(shown, reason);
            rejected.add(r);
            return new Rejected(r);
        }
        Suggestion s = new Suggestion(key.key(), shown, clamp(score), source);
        accepted.put(key.key(), s);
        return new Accepted(s);
    }

    /** Why a key does not fit the clue, or {@code null} when it does. */
    public String misfit(AnswerKey key) {
        if (!key.isLettersOnly()) {
            return key.key().isEmpty() ? "no letters" : "has characters other than letters";
        }
        Integer need = clue.length();
        String pattern = clue.pattern();
        if (need == null && pattern != null && starPattern == null) {
            need = pattern.length();
        }
        if (need != null && key.length() != need) {
            return "length " + key.length() + ", need " + need;
        }
        List<Integer> enumeration = clue.enumeration();
        if (enumeration.size() > 1 && key.wordLengths().size() > 1 && !key.wordLengths().equals(enumeration)) {
            return "word lengths " + lengths(key.wordLengths()) + ", need " + lengths(enumeration);
        }
        if (pattern != null) {
            if (starPattern != null) {
                if (!starPattern.matcher(key.key()).matches()) {
                    return "does not match the pattern " + pattern;
                }
            } else {
                for (int i = 0; i < pattern.length(); i++) {
                    char want = pattern.charAt(i);
                    if (want != '?' && key.key().charAt(i) != want) {
                        return "letter " + (i + 1) + " is " + key.key().charAt(i) + ", need " + want;
                    }
                }
            }
        }
        return null;
    }

    /** Accepted suggestions, best first; ties keep the order they arrived in. */
    public List<Suggestion> ranked() {
        List<Suggestion> list = new ArrayList<>(accepted.values());
        list.sort(Comparator.comparingDouble(Suggestion::score).reversed());
        return list;
    }

    public List<Rejection> rejected() {
        return List.copyOf(rejected);
    }

    public int acceptedCount() {
        return accepted.size();
    }

    private static String lengths(List<Integer> lengths) {
        return lengths.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
    }

    private static double clamp(double score) {
        if (Double.isNaN(score)) {
            return 0;
        }
        return Math.max(0, Math.min(1, score));
    }
}
