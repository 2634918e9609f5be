package io.github.crosswordhelper.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.crosswordhelper.ClueRequest;
import io.github.crosswordhelper.CrosswordHelper;
import io.github.crosswordhelper.InvalidRequestException;
import io.github.crosswordhelper.ParsedClue;
import io.github.crosswordhelper.Prompt;
import io.github.crosswordhelper.internal.ComponentCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The invariants every component answer must satisfy, shared by the fuzzers and the regression replay. */
final class FuzzChecks {
    private FuzzChecks() {}

    static final List<String> PARSE_FIELDS = List.of("text", "enumeration", "length", "pattern", "count", "kind", "quoted");
    static final List<String> BUILD_FIELDS = List.of("messages", "prompt", "grammar", "parameters", "schema");
    static final Set<String> PARSE_ERROR_FIELDS = Set.of("request", "clue", "pattern", "count");
    static final Set<String> BUILD_ERROR_FIELDS =
            Set.of("request", "text", "enumeration", "length", "pattern", "count", "kind");
    static final Set<String> KINDS = Set.of("definition", "wordplay", "question", "fill-in-the-blank", "cross-reference");
    private static final Pattern NORMALISED_PATTERN = Pattern.compile("[A-Z?*]+");
    private static final Pattern ROOT = Pattern.compile("(?m)^root ::= (.*)$");

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property (Java's isWhitespace differs). */
    static boolean isUnicodeWhitespace(int c) {
        return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
                || c == 0x3000;
    }

    static JsonNode json(String out, String input) {
        try {
            return ComponentCodec.MAPPER.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + out + "\nfor input: " + input, e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** {@code {"error":{"field","detail"}}} and nothing else; returns the field. */
    static String checkError(JsonNode root, Set<String> fields, String input) {
        assertThat(fieldNames(root)).as("error document for %s", input).containsExactly("error");
        JsonNode error = root.get("error");
        assertThat(fieldNames(error)).as("error object for %s", input).containsExactly("field", "detail");
        assertThat(error.get("field").isTextual() && error.get("detail").isTextual()).isTrue();
        assertThat(fields).as("error field for %s", input).contains(error.get("field").asText());
        assertThat(error.get("detail").asText()).as("error detail for %s", input).isNotBlank();
        return error.get("field").asText();
    }

    /** The parser's answer: a full success object or an error document. Returns whether it succeeded. */
    static boolean checkParseOutput(String out, String input) {
        JsonNode root = json(out, input);
        assertThat(root.isObject()).as("object for %s", input).isTrue();
        if (root.has("error")) {
            checkError(root, PARSE_ERROR_FIELDS, input);
            return false;
        }
        assertThat(fieldNames(root)).as("parse fields for %s", input).containsExactlyElementsOf(PARSE_FIELDS);
        String text = root.get("text").textValue();
        assertThat(text).as("text for %s", input).isNotNull().isNotEmpty();
        checkCollapsed(text, input);
        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(500);
        JsonNode enumeration = root.get("enumeration");
        assertThat(enumeration.isArray()).isTrue();
        long sum = 0;
        for (JsonNode w : enumeration) {
            assertThat(w.isIntegralNumber() && w.asLong() >= 1).as("word length %s for %s", w, input).isTrue();
            sum += w.asLong();
        }
        assertThat(sum).as("total letters for %s", input).isLessThanOrEqualTo(64);
        JsonNode length = root.get("length");
        if (enumeration.isEmpty()) {
            assertThat(length.isNull()).as("length for %s", input).isTrue();
        } else {
            assertThat(length.isIntegralNumber() && length.asLong() == sum).as("length for %s", input).isTrue();
        }
        JsonNode pattern = root.get("pattern");
        if (!pattern.isNull()) {
            assertThat(pattern.textValue()).as("pattern for %s", input).matches(NORMALISED_PATTERN).doesNotContain("**");
        }
        JsonNode count = root.get("count");
        assertThat(count.isIntegralNumber() && count.asInt() >= 1 && count.asInt() <= 20).as("count for %s", input).isTrue();
        assertThat(KINDS).contains(root.get("kind").textValue());
        for (JsonNode q : root.get("quoted")) {
            assertThat(q.isTextual()).isTrue();
            String s = q.textValue();
            assertThat(s).isNotEmpty();
            assertThat(isUnicodeWhitespace(s.codePointAt(0))).as("quoted trimmed for %s", input).isFalse();
            assertThat(isUnicodeWhitespace(s.codePointBefore(s.length()))).as("quoted trimmed for %s", input).isFalse();
        }
        return true;
    }

    /** Trimmed, and every whitespace run collapsed to one ASCII space. */
    static void checkCollapsed(String text, String input) {
        int previous = ' ';
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (isUnicodeWhitespace(c)) {
                assertThat(c).as("whitespace in text %s for %s", text, input).isEqualTo(' ');
                assertThat(previous).as("whitespace run or leading space in %s for %s", text, input).isNotEqualTo(' ');
            }
            previous = c;
            i += Character.charCount(c);
        }
        assertThat(previous).as("trailing space in %s for %s", text, input).isNotEqualTo(' ');
    }

    /** The builder's answer: a full success object or an error document. Returns whether it succeeded. */
    static boolean checkBuildOutput(String out, String input) {
        JsonNode root = json(out, input);
        assertThat(root.isObject()).as("object for %s", input).isTrue();
        if (root.has("error")) {
            checkError(root, BUILD_ERROR_FIELDS, input);
            return false;
        }
        assertThat(fieldNames(root)).as("build fields for %s", input).containsExactlyElementsOf(BUILD_FIELDS);
        int count = json(input, input).get("count").asInt();
        checkGrammar(root.get("grammar").textValue(), count, input);
        assertThat(root.get("schema").get("properties").get("answers").get("maxItems").asInt()).isEqualTo(count);
        return true;
    }

    static void checkGrammar(String grammar, int count, String input) {
        Matcher root = ROOT.matcher(grammar);
        assertThat(root.find()).as("root rule in %s for %s", grammar, input).isTrue();
        int answers = root.group(1).split("answer \"\\\\n\"", -1).length - 1;
        assertThat(answers).as("answer lines in %s for %s", root.group(0), input).isEqualTo(count);
        assertThat(grammar).contains("answer ::= ");
    }

    /** A prompt for a successful parse: the grammar admits exactly count answers, the clue is fenced once. */
    /**
     * The facade invariants for one request: a ParsedClue or a clean 400; the parse a fixed point on its
     * own text (and its count found again when the request gave none); a prompt for every parse. Used by
     * the property and by the regression replay, so both assert the same thing.
     */
    static void checkFacade(CrosswordHelper helper, ClueRequest request) {
        ParsedClue parsed;
        try {
            parsed = helper.parse(request);
        } catch (InvalidRequestException e) {
            assertThat(e.field()).isIn("clue", "pattern", "count");
            return;
        }
        String input = ComponentCodec.parseInput(request);
        String again = reassembled(parsed);
        if (again != null) {
            ParsedClue reparsed = helper.parse(request(again, parsed.pattern(), parsed.count()));
            assertThat(reparsed).as("re-parse of %s (from %s)", again, input).isEqualTo(parsed);
            if (request.count() == null) {
                assertThat(helper.parse(request(again, parsed.pattern(), null)).count())
                        .as("count found again in %s (from %s)", again, input)
                        .isEqualTo(parsed.count());
            }
        }
        checkPrompt(parsed, helper.prompt(parsed));
    }

    static void checkPrompt(ParsedClue clue, Prompt prompt) {
        String where = clue.toString();
        checkGrammar(prompt.grammar(), clue.count(), where);
        assertThat(prompt.messages()).hasSize(2);
        assertThat(prompt.messages().get(0).role()).isEqualTo("system");
        assertThat(prompt.messages().get(1).role()).isEqualTo("user");
        String user = prompt.messages().get(1).content().toLowerCase(Locale.ROOT);
        assertThat(occurrences(user, "<clue>")).as("<clue> markers in %s for %s", user, where).isEqualTo(1);
        assertThat(occurrences(user, "</clue>")).as("</clue> markers in %s for %s", user, where).isEqualTo(1);
        String flat = prompt.flatPrompt().toLowerCase(Locale.ROOT);
        assertThat(occurrences(flat, "[inst]")).as("[INST] in flat prompt for %s", where).isEqualTo(1);
        assertThat(occurrences(flat, "[/inst]")).as("[/INST] in flat prompt for %s", where).isEqualTo(1);
        assertThat(occurrences(flat, "<</sys>>")).as("<</SYS>> in flat prompt for %s", where).isEqualTo(1);
        assertThat(prompt.parameters().maxTokens()).isBetween(1, 1024);
        assertThat(json(prompt.schemaJson(), where).get("properties").get("answers").get("maxItems").asInt())
                .isEqualTo(clue.count());
    }

    static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The clue a parse result stands for: its text with its enumeration re-appended as {@code (a,b,...)}, or the
     * text alone when the enumeration is empty. {@code null} when that would pass the 500-character limit.
     */
    static String reassembled(ParsedClue p) {
        String clue = p.enumeration().isEmpty()
                ? p.text()
                : p.text() + " (" + String.join(",", p.enumeration().stream().map(String::valueOf).toList()) + ")";
        return clue.codePointCount(0, clue.length()) <= 500 ? clue : null;
    }

    static ClueRequest request(String clue, String pattern, Integer count) {
        ClueRequest.Builder b = ClueRequest.builder(clue).pattern(pattern);
        if (count != null) {
            b.count(count);
        }
        return b.build();
    }
}
