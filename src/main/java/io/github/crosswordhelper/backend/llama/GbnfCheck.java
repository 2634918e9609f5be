package io.github.crosswordhelper.backend.llama;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A conservative, lexical sanity check of a GBNF grammar before it goes to llama.cpp.
 *
 * <p>llama.cpp does not reject a grammar it cannot parse: it logs the error and generates <em>unconstrained</em>
 * text. So everything llama.cpp's parser (b4916, {@code llama-grammar.cpp}) would refuse must be caught here:
 * characters outside printable ASCII, unterminated literals and character classes, bad escapes, unbalanced
 * parentheses, a repetition with nothing before it, rule names with characters GBNF does not allow, a rule body
 * continued on a new line at top level, references to undefined rules, a missing {@code root} rule. It accepts a
 * subset of GBNF, which is all our prompt builder produces.
 */
final class GbnfCheck {

    /** Upper bound on a grammar's length, in characters. */
    static final int MAX_LENGTH = 16 * 1024;

    private static final Pattern REPETITION = Pattern.compile("\\{\\s*\\d{1,4}\\s*(,\\s*(\\d{1,4})?\\s*)?}");

    private final String g;
    private int pos;
    private final Set<String> defined = new LinkedHashSet<>();
    private final Set<String> referenced = new LinkedHashSet<>();

    private GbnfCheck(String grammar) {
        this.g = grammar;
    }

    /**
     * Checks the grammar.
     *
     * @throws IllegalArgumentException with a short reason when the grammar is not acceptable
     */
    static void validate(String grammar) {
        if (grammar == null || grammar.isBlank()) {
            throw new IllegalArgumentException("grammar is empty");
        }
        if (grammar.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("grammar is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < grammar.length(); i++) {
            char c = grammar.charAt(i);
            if (!(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F))) {
                throw new IllegalArgumentException(String.format(
                        "grammar contains character U+%04X at %d; only printable ASCII, tab and newline", (int) c, i));
            }
        }
        new GbnfCheck(grammar).run();
    }

    private void run() {
        skipBlankLinesAndComments();
        while (pos < g.length()) {
            rule();
            skipBlankLinesAndComments();
        }
        if (!defined.contains("root")) {
            throw fail("grammar has no 'root' rule");
        }
        for (String r : referenced) {
            if (!defined.contains(r)) {
                throw fail("grammar references undefined rule '" + r + "'");
            }
        }
    }

    private void rule() {
        int start = pos;
        String name = name();
        if (name.isEmpty()) {
            throw fail("expected a rule name at " + start);
        }
        skipSpaces(false);
        if (!g.startsWith("::=", pos)) {
            throw fail("expected '::=' after rule name '" + name + "'");
        }
        pos += 3;
        if (!defined.add(name)) {
            throw fail("rule '" + name + "' is defined twice");
        }
        body(name);
    }

    /** The rule body: up to a newline at parenthesis depth 0 that does not follow '|' or '::='. */
    private void body(String rule) {
        int depth = 0;
        boolean newlineOk = true; // right after '::=' or '|', or inside parentheses
        boolean afterTerm = false; // a repetition operator may follow
        while (pos < g.length()) {
            char c = g.charAt(pos);
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '#') {
                while (pos < g.length() && g.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '\n') {
                if (depth == 0 && !newlineOk) {
                    pos++;
                    return;
                }
                pos++;
            } else if (c == '"') {
                literal();
                afterTerm = true;
                newlineOk = depth > 0;
            } else if (c == '[') {
                charClass();
                afterTerm = true;
                newlineOk = depth > 0;
            } else if (c == '.') {
                pos++;
                afterTerm = true;
                newlineOk = depth > 0;
            } else if (isWordChar(c)) {
                int at = pos;
                String ref = name();
                int save = pos;
                skipSpaces(false);
                if (g.startsWith("::=", pos)) {
                    throw fail("rule '" + rule + "' is not terminated before rule '" + ref + "' at " + at);
                }
                pos = save;
                referenced.add(ref);
                afterTerm = true;
                newlineOk = depth > 0;
            } else if (c == '(') {
                depth++;
                pos++;
                afterTerm = false;
                newlineOk = true;
            } else if (c == ')') {
                if (--depth < 0) {
                    throw fail("unbalanced ')' at " + pos + " in rule '" + rule + "'");
                }
                pos++;
                afterTerm = true;
                newlineOk = depth > 0;
            } else if (c == '|') {
                pos++;
                afterTerm = false;
                newlineOk = true;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                if (!afterTerm) {
                    throw fail("repetition '" + c + "' at " + pos + " has nothing to repeat in rule '" + rule + "'");
                }
                if (c == '{') {
                    var m = REPETITION.matcher(g).region(pos, g.length());
                    if (!m.lookingAt()) {
                        throw fail("bad repetition at " + pos + " in rule '" + rule + "'");
                    }
                    pos = m.end();
                } else {
                    pos++;
                }
                afterTerm = false;
                newlineOk = depth > 0;
            } else {
                throw fail("unexpected '" + c + "' at " + pos + " in rule '" + rule + "'");
            }
        }
        if (depth != 0) {
            throw fail("unbalanced '(' in rule '" + rule + "'");
        }
    }

    private void literal() {
        int start = pos++;
        while (pos < g.length()) {
            char c = g.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                escape();
            } else {
                pos++;
            }
        }
        throw fail("unterminated string literal at " + start);
    }

    private void charClass() {
        int start = pos++;
        if (pos < g.length() && g.charAt(pos) == '^') {
            pos++;
        }
        int members = 0;
        while (pos < g.length()) {
            char c = g.charAt(pos);
            if (c == ']') {
                if (members == 0) {
                    throw fail("empty character class at " + start);
                }
                pos++;
                return;
            }
            if (c == '\n') {
                break;
            }
            if (c == '\\') {
                escape();
            } else {
                pos++;
            }
            members++;
        }
        throw fail("unterminated character class at " + start);
    }

    private void escape() {
        int start = pos++;
        if (pos >= g.length()) {
            throw fail("dangling '\\' at " + start);
        }
        char e = g.charAt(pos++);
        int hex;
        switch (e) {
            case 'x':
                hex = 2;
                break;
            case 'u':
                hex = 4;
                break;
            case 'U':
                hex = 8;
                break;
            case 'n': case 'r': case 't': case '\\': case '"': case '[': case ']': case '-':
                return;
            default:
                throw fail("unknown escape '\\" + e + "' at " + start);
        }
        for (int i = 0; i < hex; i++) {
            if (pos >= g.length() || Character.digit(g.charAt(pos), 16) < 0) {
                throw fail("bad hex escape at " + start);
            }
            pos++;
        }
    }

    private String name() {
        int start = pos;
        while (pos < g.length() && isWordChar(g.charAt(pos))) {
            pos++;
        }
        return g.substring(start, pos);
    }

    private void skipSpaces(boolean newlines) {
        while (pos < g.length()) {
            char c = g.charAt(pos);
            if (c == ' ' || c == '\t' || (newlines && c == '\n')) {
                pos++;
            } else {
                return;
            }
        }
    }

    private void skipBlankLinesAndComments() {
        while (pos < g.length()) {
            skipSpaces(true);
            if (pos < g.length() && g.charAt(pos) == '#') {
                while (pos < g.length() && g.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** GBNF rule names: ASCII letters, digits and '-' (no '_'). */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private IllegalArgumentException fail(String reason) {
        return new IllegalArgumentException(reason);
    }
}
