package io.github.crosswordhelper.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.crosswordhelper.BackendTimeoutException;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.SuggestResponse;
import io.github.crosswordhelper.Suggestion;
import io.github.crosswordhelper.SuggestionListener;
import io.github.crosswordhelper.filter.AnswerFilter;
import io.github.crosswordhelper.filter.AnswerKey;
import io.github.crosswordhelper.filter.Blocklist;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every backend must do, through the real facade: whatever it produces, only answers that fit come
 * back; it names itself; it keeps to the deadline; excluded answers never return; the stream and the
 * final response agree. Each backend's test extends this and supplies the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContractTest {

    private CrosswordHelper helper;

    /** A ready-to-load backend; the helper takes ownership (wrap a shared one so close does nothing). */
    protected abstract Backend createBackend();

    /** The backend's expected name in responses. */
    protected abstract String expectedName();

    @BeforeAll
    void buildHelper() throws InterruptedException {
        helper = CrosswordHelper.builder().backend(createBackend()).build();
        awaitReady(helper, expectedName());
    }

    @AfterAll
    void closeHelper() {
        helper.close();
    }

    public static void awaitReady(CrosswordHelper helper, String backend) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            if (helper.backends().stream().allMatch(b -> b.ready())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("backends not ready: " + helper.backends());
    }

    private static void assertAllFit(SuggestResponse r) {
        ParsedClue clue = r.clue();
        AnswerFilter judge = new AnswerFilter(clue, List.of(), Blocklist.NONE);
        assertThat(r.suggestions()).hasSizeLessThanOrEqualTo(clue.count());
        for (Suggestion s : r.suggestions()) {
            assertThat(judge.misfit(AnswerKey.of(s.display()))).as(s.display()).isNull();
            assertThat(s.answer()).matches("[A-Z]+");
            assertThat(s.score()).isBetween(0.0, 1.0);
            assertThat(s.source()).isNotBlank();
        }
    }

    @Test
    void should_return_only_answers_that_fit() {
        for (ClueRequest request : List.of(
                ClueRequest.builder("Shade of pink").pattern("S?????").build(),
                ClueRequest.of("Happy (4)"),
                ClueRequest.builder("Five synonyms for pink").pattern("?????").seed(3).build(),
                ClueRequest.of("Large body of water (5)"))) {
            SuggestResponse r = helper.suggest(request);
            assertAllFit(r);
        }
    }

    @Test
    void should_name_itself_in_the_response() {
        SuggestResponse r = helper.suggest(ClueRequest.of("Happy (4)"));
        assertThat(r.backend().name()).isEqualTo(expectedName());
        assertThat(r.backend().model()).isNotBlank();
        assertThat(r.timings().totalMs()).isGreaterThanOrEqualTo(r.timings().backendMs());
    }

    @Test
    void should_never_return_an_excluded_answer() {
        SuggestResponse first = helper.suggest(ClueRequest.builder("Happy (4)").seed(5).build());
        if (first.suggestions().isEmpty()) {
            return;
        }
        String tried = first.suggestions().get(0).display();
        SuggestResponse again = helper.suggest(
                ClueRequest.builder("Happy (4)").seed(5).exclude(List.of(tried.toLowerCase())).build());
        assertThat(again.suggestions()).extracting(Suggestion::answer).doesNotContain(AnswerKey.of(tried).key());
    }

    @Test
    void should_stream_the_suggestions_it_returns() {
        List<Suggestion> streamed = new ArrayList<>();
        SuggestResponse r = helper.suggest(ClueRequest.builder("Shade of pink").pattern("?????").seed(11).build(),
                new SuggestionListener() {
                    @Override
                    public void onSuggestion(Suggestion s) {
                        streamed.add(s);
                    }
                });
        assertThat(streamed).containsExactlyInAnyOrderElementsOf(r.suggestions());
    }

    @Test
    void should_keep_to_the_request_deadline() {
        try (CrosswordHelper impatient = CrosswordHelper.builder()
                .backend(createSharedViewForDeadline())
                .requestTimeout(Duration.ofNanos(1))
                .build()) {
            assertThatThrownBy(() -> impatient.suggest(ClueRequest.of("Happy (4)")))
                    .isInstanceOf(BackendTimeoutException.class);
        }
    }

    /** A second handle on the same backend for a helper with another deadline; by default a new backend. */
    protected Backend createSharedViewForDeadline() {
        return createBackend();
    }
}
