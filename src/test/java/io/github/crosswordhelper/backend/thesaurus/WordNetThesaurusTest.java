package io.github.crosswordhelper.backend.thesaurus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.BackendUnavailableException;
import io.github.crosswordhelper.ClueKind;
import io.github.crosswordhelper.GenerationParameters;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.backend.BackendListener;
import io.github.crosswordhelper.backend.BackendRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads WordNet once for the class (about 1 s, plus 2-3 s for the lemma/gloss index). */
class WordNetThesaurusTest {

    private static WordNetThesaurus thesaurus;

    @BeforeAll
    static void load() {
        thesaurus = new WordNetThesaurus();
        thesaurus.warmUpWordIndex();
    }

    @AfterAll
    static void close() {
        if (thesaurus != null) {
            thesaurus.close();
        }
    }

    private static List<String> answers(String clue, List<Integer> enumeration, int limit) {
        return answers(thesaurus.suggest(clue, enumeration, null, null, limit, Set.of(), false));
    }

    private static List<String> answers(List<ThesaurusCandidate> candidates) {
        return candidates.stream().map(ThesaurusCandidate::answer).collect(Collectors.toList());
    }

    private static List<Integer> enumeration(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(",")) {
            out.add(Integer.parseInt(p.trim()));
        }
        return out;
    }

    @Test
    void evaluationSetMeetsQualityTarget() throws IOException {
        int total = 0;
        int first = 0;
        int topFive = 0;
        List<String> misses = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/thesaurus-eval.tsv"));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                List<String> got = answers(f[0], enumeration(f[1]), 10);
                int rank = got.indexOf(f[2].trim());
                total++;
                if (rank == 0) {
                    first++;
                }
                if (rank >= 0 && rank < 5) {
                    topFive++;
                } else {
                    misses.add(f[0] + " (" + f[1] + ") " + f[2] + " -> " + got.subList(0, Math.min(5, got.size())));
                }
            }
        }
        double firstRate = (double) first / total;
        double topFiveRate = (double) topFive / total;
        System.out.printf("thesaurus eval: first %d/%d = %.1f%%, top five %d/%d = %.1f%%%n",
                first, total, 100 * firstRate, topFive, total, 100 * topFiveRate);
        misses.forEach(m -> System.out.println("  not in top five: " + m));
        assertThat(total).isGreaterThanOrEqualTo(30);
        assertThat(firstRate).as("expected answer first").isGreaterThanOrEqualTo(0.60);
        assertThat(topFiveRate).as("expected answer in top five").isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void fiveLetterPinks() {
        List<ThesaurusCandidate> got =
                thesaurus.suggest("Five synonyms for pink", List.of(), null, "?????", 5, Set.of(), false);
        assertThat(got).hasSize(5);
        assertThat(got).allSatisfy(c -> assertThat(c.answer()).hasSize(5));
        assertThat(answers(got)).contains("CORAL", "PEACH");
        assertThat(got).allSatisfy(c -> assertThat(c.score()).isBetween(0.0, 1.0));
    }

    @Test
    void shadeOfPinkIsAHyponym() {
        List<ThesaurusCandidate> got = thesaurus.suggest("Shade of pink", List.of(6), null, null, 5, Set.of(), false);
        assertThat(got.get(0).answer()).isEqualTo("SALMON");
    }

    @Test
    void patternOnlyWords() {
        assertThat(thesaurus.words("P?NK", 20, false)).contains("PINK", "PUNK").allMatch(w -> w.matches("P[A-Z]NK"));
        assertThat(thesaurus.words("B*RN", 50, false)).contains("BURN", "BARN").allMatch(w -> w.matches("B[A-Z]*RN"));
        assertThat(thesaurus.words("??", 5, false)).hasSize(5).allMatch(w -> w.length() == 2);
    }

    @Test
    void dirtPassesTheBreakfastTest() {
        List<String> vulgar = List.of("CRAP", "SHIT", "TURD", "POOP", "SHITE");
        List<String> top = answers("Dirt", List.of(4), 10);
        assertThat(top).hasSize(10).contains("SOIL").doesNotContainAnyElementsOf(vulgar);
        assertThat(answers("Dirt", List.of(4), 200)).doesNotContainAnyElementsOf(vulgar);
        assertThat(thesaurus.words("CR?P", 50, false)).doesNotContain("CRAP");
        // the filter, not the ranking, keeps them out
        assertThat(answers(thesaurus.suggest("Dirt", List.of(4), null, null, 200, Set.of(), true))).contains("CRAP");
        assertThat(thesaurus.words("CR?P", 50, true)).contains("CRAP");
    }

    @Test
    void excludeRemovesAnswersInAnyForm() {
        assertThat(answers("Happy", List.of(4), 5)).contains("GLAD");
        List<ThesaurusCandidate> got =
                thesaurus.suggest("Happy", List.of(4), null, null, 5, Set.of("glad", "Well"), false);
        assertThat(answers(got)).doesNotContain("GLAD", "WELL").isNotEmpty();
    }

    @Test
    void lengthAndPatternFilterBeforeTheLimit() {
        List<ThesaurusCandidate> got = thesaurus.suggest("Quick", List.of(4), null, "F??T", 5, Set.of(), false);
        assertThat(answers(got)).first().isEqualTo("FAST");
        assertThat(got).allSatisfy(c -> assertThat(c.answer()).matches("F..T"));
        assertThat(answers("Quick", List.of(4), 5).get(0)).isEqualTo("FAST");
    }

    @Test
    void multiWordPhraseAndAnswer() {
        assertThat(answers("Large body of water", List.of(5), 3)).first().isEqualTo("OCEAN");
        List<ThesaurusCandidate> got = thesaurus.suggest("Postpone", List.of(3, 3), null, null, 3, Set.of(), false);
        assertThat(got.get(0).answer()).isEqualTo("PUTOFF");
        assertThat(got.get(0).display()).isEqualTo("put off");
    }

    @Test
    void fallsBackToPatternSearch() {
        List<ThesaurusCandidate> got = thesaurus.suggest("Xyzzy plugh", List.of(4), null, "P?NK", 5, Set.of(), false);
        assertThat(got).isNotEmpty().allSatisfy(c -> assertThat(c.source()).isEqualTo("pattern search"));
        assertThat(answers(got)).contains("PINK");
    }

    @Test
    void normalisesKeys() {
        assertThat(WordNetThesaurus.normalise("Matt Damon")).isEqualTo("MATTDAMON");
        assertThat(WordNetThesaurus.normalise("café au lait")).isEqualTo("CAFEAULAIT");
        assertThat(WordNetThesaurus.normalise("jack-o'-lantern")).isEqualTo("JACKOLANTERN");
    }

    @Test
    void backendStreamsCandidatesOnceReady() throws Exception {
        try (ThesaurusBackend backend = new ThesaurusBackend(false)) {
            ParsedClue clue = new ParsedClue("Very angry", List.of(5), 5, null, 3, ClueKind.DEFINITION, List.of());
            BackendRequest request =
                    new BackendRequest(clue, new Prompt(List.of(), "", "", new GenerationParameters(16, List.of(), 0.0), "{}"),
                            Set.of(), OptionalLong.empty(), Instant.now().plusSeconds(30));
            List<String> seen = new ArrayList<>();
            BackendListener listener = new BackendListener() {
                @Override
                public void onText(String delta) {}

                @Override
                public void onCandidate(String answer, double score, String source) {
                    seen.add(answer);
                }
            };
            assertThat(backend.isReady()).isFalse();
            assertThatThrownBy(() -> backend.generate(request, listener))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("still loading");
            backend.start().ready().get();
            assertThat(backend.isReady()).isTrue();
            assertThat(backend.name()).isEqualTo("thesaurus");
            assertThat(backend.model()).isEqualTo("WordNet 3.1");
            backend.generate(request, listener);
            assertThat(seen).hasSizeGreaterThanOrEqualTo(5).contains("irate");
        }
    }
}
