package io.github.crosswordhelper.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.crosswordhelper.ClueKind;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Rejection;
import io.github.crosswordhelper.Suggestion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnswerFilterTest {

    private static ParsedClue clue(List<Integer> enumeration, String pattern) {
        Integer length = enumeration.isEmpty() ? null : enumeration.stream().mapToInt(Integer::intValue).sum();
        return new ParsedClue("clue", enumeration, length, pattern, 5, ClueKind.DEFINITION, List.of());
    }

    @Test
    void should_reject_a_candidate_of_the_wrong_length_with_the_reason() {
        AnswerFilter f = new AnswerFilter(clue(List.of(6), null), List.of(), Blocklist.NONE);
        assertThat(f.offer("Magenta", 1, "model")).isEqualTo(
                new AnswerFilter.Rejected(new Rejection("Magenta", "length 7, need 6")));
        assertThat(f.offer("Salmon", 1, "model")).isInstanceOf(AnswerFilter.Accepted.class);
    }

    @Test
    void should_check_known_letters_and_star_patterns() {
        AnswerFilter f = new AnswerFilter(clue(List.of(6), "S?????"), List.of(), Blocklist.NONE);
        assertThat(f.offer("Cerise", 1, "m")).isEqualTo(
                new AnswerFilter.Rejected(new Rejection("Cerise", "letter 1 is C, need S")));
        AnswerFilter star = new AnswerFilter(clue(List.of(), "P*K"), List.of(), Blocklist.NONE);
        assertThat(star.offer("Pink", 1, "m")).isInstanceOf(AnswerFilter.Accepted.class);
        assertThat(star.offer("Punks", 1, "m")).isInstanceOf(AnswerFilter.Rejected.class);
    }

    @Test
    void should_match_multi_word_answers_to_multi_word_enumerations() {
        AnswerFilter f = new AnswerFilter(clue(List.of(4, 5), null), List.of(), Blocklist.NONE);
        AnswerFilter.Verdict v = f.offer("Matt Damon", 0.9, "model");
        assertThat(v).isEqualTo(new AnswerFilter.Accepted(new Suggestion("MATTDAMON", "Matt Damon", 0.9, "model")));
        assertThat(f.offer("Damon Matt", 1, "m")).isEqualTo(
                new AnswerFilter.Rejected(new Rejection("Damon Matt", "word lengths (5,4), need (4,5)")));
    }

    @Test
    void should_fold_accents_and_drop_spaces_hyphens_and_apostrophes_but_keep_the_display_form() {
        AnswerFilter f = new AnswerFilter(clue(List.of(7), null), List.of(), Blocklist.NONE);
        AnswerFilter.Verdict v = f.offer("O'Hare-\u00e9s", 1, "m");
        assertThat(((AnswerFilter.Accepted) v).suggestion().answer()).isEqualTo("OHAREES");
        assertThat(((AnswerFilter.Accepted) v).suggestion().display()).isEqualTo("O'Hare-\u00e9s");
    }

    @Test
    void should_drop_duplicates_and_never_return_excluded_answers() {
        AnswerFilter f = new AnswerFilter(clue(List.of(5), null), List.of("coral"), Blocklist.NONE);
        assertThat(f.offer("CORAL", 1, "m")).isEqualTo(
                new AnswerFilter.Rejected(new Rejection("CORAL", "excluded by the request")));
        assertThat(f.offer("Peach", 1, "m")).isInstanceOf(AnswerFilter.Accepted.class);
        assertThat(f.offer("PEACH", 1, "m")).isInstanceOf(AnswerFilter.Dropped.class);
        assertThat(f.ranked()).extracting(Suggestion::answer).containsExactly("PEACH");
    }

    @Test
    void should_drop_blocked_words_without_reporting_them() {
        AnswerFilter f = new AnswerFilter(clue(List.of(4), null), List.of(), Blocklist.of(Set.of("darn")));
        assertThat(f.offer("Darn", 1, "m")).isInstanceOf(AnswerFilter.Dropped.class);
        assertThat(f.rejected()).isEmpty();
        assertThat(Blocklist.builtIn().size()).isGreaterThan(10);
    }

    @Test
    void should_rank_by_score_keeping_arrival_order_for_ties() {
        AnswerFilter f = new AnswerFilter(clue(List.of(4), null), List.of(), Blocklist.NONE);
        f.offer("Glad", 0.5, "a");
        f.offer("Gay", 0.9, "a");
        f.offer("Jolly", 0.9, "a");
        f.offer("Fine", 0.9, "a");
        f.offer("Good", 0.9, "a");
        assertThat(f.ranked()).extracting(Suggestion::answer).containsExactly("FINE", "GOOD", "GLAD");
    }

    @Test
    void should_reject_candidates_with_digits_or_symbols() {
        AnswerFilter f = new AnswerFilter(clue(List.of(4), null), List.of(), Blocklist.NONE);
        assertThat(f.offer("R2D2", 1, "m")).isEqualTo(
                new AnswerFilter.Rejected(new Rejection("R2D2", "has characters other than letters")));
    }
}
