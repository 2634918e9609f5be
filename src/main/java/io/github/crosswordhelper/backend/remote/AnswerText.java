package io.github.crosswordhelper.backend.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.crosswordhelper.backend.BackendListener;

/**
 * Turns model content into the text the answer filter reads. Plain prose (or grammar-shaped lines) passes
 * straight through. Content that starts with {@code {} is taken for schema-constrained JSON such as
 * {@code {"answers":["CORAL","PEACH"]}}: each string of the {@code answers} array is sent as one line as
 * soon as it is complete, so a streamed reply still yields candidates early. JSON that has no usable
 * {@code answers} array is sent through as it is at the end, for the filter to make what it can of it.
 */
final class AnswerText {

    private enum Mode { UNDECIDED, PLAIN, JSON }

    private enum Phase { SEEK_KEY, SEEK_ARRAY, IN_ARRAY, DONE }

    private static final String KEY = "\"answers\"";

    private final BackendListener listener;
    private final ObjectMapper json;
    private final StringBuilder buffer = new StringBuilder();
    private Mode mode = Mode.UNDECIDED;
    private Phase phase = Phase.SEEK_KEY;
    private int scan;
    private int answers;
    private boolean emitted;
    private boolean endsWithNewline;
    private boolean finished;

    AnswerText(BackendListener listener, ObjectMapper json) {
        this.listener = listener;
        this.json = json;
    }

    /** Whether any text has reached the listener (after which a request must not be retried). */
    boolean emitted() {
        return emitted;
    }

    void append(String delta) {
        if (delta == null || delta.isEmpty() || finished) {
            return;
        }
        switch (mode) {
            case PLAIN -> emit(delta);
            case JSON -> {
                buffer.append(delta);
                scanAnswers();
            }
            case UNDECIDED -> {
                buffer.append(delta);
                String start = buffer.toString().stripLeading();
                if (start.isEmpty()) {
                    return;
                }
                if (start.charAt(0) == '{') {
                    mode = Mode.JSON;
                    scanAnswers();
                } else {
                    mode = Mode.PLAIN;
                    String all = buffer.toString();
                    buffer.setLength(0);
                    emit(all);
                }
            }
        }
    }

    /** Ends the content: sends what is still held back. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (mode == Mode.JSON && answers == 0 && buffer.length() > 0 && !isWellFormedAnswers()) {
            String raw = buffer.toString();
            emit(raw.endsWith("\n") ? raw : raw + "\n");
        } else if (mode == Mode.PLAIN && emitted && !endsWithNewline) {
            // A last line without a newline is still a whole line.
            emit("\n");
        }
        buffer.setLength(0);
    }

    /** Whether the held-back JSON is a well-formed object with an {@code answers} array (empty, then). */
    private boolean isWellFormedAnswers() {
        try {
            var node = json.readTree(buffer.toString());
            return node != null && node.path("answers").isArray();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    void tokens(int generated) {
        listener.onTokens(generated);
    }

    private void emit(String text) {
        emitted = true;
        endsWithNewline = text.endsWith("\n");
        listener.onText(text);
    }

    private void scanAnswers() {
        while (phase != Phase.DONE) {
            switch (phase) {
                case SEEK_KEY -> {
                    int at = buffer.indexOf(KEY, scan);
                    if (at < 0) {
                        scan = Math.max(scan, buffer.length() - KEY.length());
                        return;
                    }
                    scan = at + KEY.length();
                    phase = Phase.SEEK_ARRAY;
                }
                case SEEK_ARRAY -> {
                    scan = skip(scan, " \t\r\n:");
                    if (scan >= buffer.length()) {
                        return;
                    }
                    if (buffer.charAt(scan) != '[') {
                        phase = Phase.DONE;
                        return;
                    }
                    scan++;
                    phase = Phase.IN_ARRAY;
                }
                case IN_ARRAY -> {
                    scan = skip(scan, " \t\r\n,");
                    if (scan >= buffer.length()) {
                        return;
                    }
                    char c = buffer.charAt(scan);
                    if (c == ']') {
                        phase = Phase.DONE;
                        return;
                    }
                    if (c != '"') {
                        phase = Phase.DONE;
                        return;
                    }
                    int end = closingQuote(scan);
                    if (end < 0) {
                        return; // the string is not complete yet
                    }
                    String literal = buffer.substring(scan, end + 1);
                    scan = end + 1;
                    String answer;
                    try {
                        answer = json.readValue(literal, String.class);
                    } catch (JsonProcessingException e) {
                        phase = Phase.DONE;
                        return;
                    }
                    answer = answer.replace('\r', ' ').replace('\n', ' ').strip();
                    if (!answer.isEmpty()) {
                        answers++;
                        emit(answer + "\n");
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private int skip(int from, String chars) {
        int i = from;
        while (i < buffer.length() && chars.indexOf(buffer.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private int closingQuote(int openQuote) {
        for (int i = openQuote + 1; i < buffer.length(); i++) {
            char c = buffer.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }
}
