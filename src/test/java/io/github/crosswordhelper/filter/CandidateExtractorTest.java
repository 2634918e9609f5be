package io.github.crosswordhelper.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateExtractorTest {

    @Test
    void should_take_answers_from_a_numbered_list_with_explanations() {
        String text = "Sure! Here are five shades of pink:\n1. Fuchsia - a shade of pink\n2) Salmon: orange-pink\n"
                + "3. **Coral** (reddish pink)\n4. Rose\n5. Cerise\nI hope this helps!";
        assertThat(CandidateExtractor.extractAll(text)).containsExactly("Fuchsia", "Salmon", "Coral", "Rose", "Cerise");
    }

    @Test
    void should_take_answers_from_bullets_quotes_and_commas() {
        assertThat(CandidateExtractor.extractAll("- PEACH\n* coral\n\u2022 Blush")).containsExactly("PEACH", "coral", "Blush");
        assertThat(CandidateExtractor.extractAll("The answer is \"CORAL\".")).containsExactly("CORAL");
        assertThat(CandidateExtractor.extractAll("coral, peach, and salmon")).containsExactly("coral", "peach", "salmon");
    }

    @Test
    void should_skip_chatter_sentences() {
        assertThat(CandidateExtractor.extractAll(
                "I think the best answers for this clue would probably be these ones\nMATT DAMON\n"))
                .containsExactly("MATT DAMON");
    }

    @Test
    void should_extract_the_same_candidates_however_the_text_is_chunked() {
        String text = "1. Fuchsia - a shade\n2. Salmon\n3. Coral";
        List<String> chunked = new ArrayList<>();
        CandidateExtractor e = new CandidateExtractor(chunked::add);
        for (char c : text.toCharArray()) {
            e.accept(String.valueOf(c));
        }
        e.finish();
        assertThat(chunked).isEqualTo(CandidateExtractor.extractAll(text));
    }
}
