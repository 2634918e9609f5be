package io.github.crosswordhelper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Uses the library exactly as an embedding service would, with the README's snippet, and checks that the
 * README still shows this very code.
 */
class ReadmeExampleTest {

    @Test
    void should_run_the_readme_library_snippet() throws InterruptedException {
        ParsedClue seen;
        Prompt seenPrompt;
        SuggestResponse seenAnswers;
        // README:start
        try (CrosswordHelper helper = CrosswordHelper.builder().build()) {
            ParsedClue clue = helper.parse(ClueRequest.builder("Spy novel").pattern("b?urn? ?d?nt?ty").build());
            Prompt prompt = helper.prompt(clue);   // chat messages, flat prompt, GBNF grammar, parameters
            helper.awaitReady(Duration.ofSeconds(30));   // WordNet loads in the background
    SuggestResponse answers = helper.suggest(ClueRequest.builder("Large body of water (5)").build());
            // README:end
            seen = clue;
            seenPrompt = prompt;
            seenAnswers = answers;
        }
        assertThat(seenAnswers.suggestions()).extracting(Suggestion::answer).contains("OCEAN");
        assertThat(seen.enumeration()).containsExactly(6, 8);
        assertThat(seen.pattern()).isEqualTo("B?URN??D?NT?TY");
        assertThat(seenPrompt.grammar()).contains("root ::=");
    }

    @Test
    void should_keep_the_readme_snippet_identical_to_the_tested_code() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/github/crosswordhelper/ReadmeExampleTest.java"));
        Matcher m = Pattern.compile("// README:start\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        List<String> tested = m.group(1).lines().map(String::strip).toList();

        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a java block").isTrue();
        List<String> shown = block.group(1).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertThat(shown.subList(0, tested.size())).isEqualTo(tested);
    }
}
