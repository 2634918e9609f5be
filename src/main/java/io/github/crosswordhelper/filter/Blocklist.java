package io.github.crosswordhelper.filter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Vulgar and offensive words that never appear in suggestions by default (the breakfast test). Applied to
 * every backend's output by {@link AnswerFilter}; the thesaurus also uses WordNet's own usage markers.
 * Immutable and thread-safe.
 */
public final class Blocklist {

    /** Blocks nothing: the setting that allows vulgar words. */
    public static final Blocklist NONE = new Blocklist(Set.of());

    private static final String RESOURCE = "blocklist.txt";

    private final Set<String> keys;

    private Blocklist(Set<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    /** The built-in list, one word or phrase per line; {@code #} starts a comment. */
    public static Blocklist builtIn() {
        return Holder.BUILT_IN;
    }

    public static Blocklist of(Set<String> words) {
        Set<String> keys = new HashSet<>();
        words.forEach(w -> keys.add(AnswerKey.of(w).key()));
        return new Blocklist(keys);
    }

    /** Whether a grid-form key ({@code A-Z} only) is blocked. */
    public boolean isBlocked(String key) {
        return keys.contains(key);
    }

    public int size() {
        return keys.size();
    }

    private static final class Holder {
        static final Blocklist BUILT_IN = load();

        private static Blocklist load() {
            Set<String> words = new HashSet<>();
            try (InputStream in = Blocklist.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    String word = line.strip();
                    if (!word.isEmpty() && !word.startsWith("#")) {
                        words.add(word);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return of(words);
        }
    }
}
