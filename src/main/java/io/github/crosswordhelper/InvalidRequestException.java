package io.github.crosswordhelper;

import java.util.Objects;

/**
 * The request itself is wrong: a missing or empty clue, a pattern that contradicts the enumeration, a
 * field of the wrong type. Sending it again will fail again. The HTTP layer answers 400.
 */
public class InvalidRequestException extends CrosswordException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the request field at fault ({@code clue}, {@code pattern}, {@code count}, ...), or
     *     {@code request} when the request as a whole is malformed
     * @param detail a sentence for a person, naming the conflict and quoting the numbers
     */
    public InvalidRequestException(String field, String detail) {
        super(Objects.requireNonNull(detail, "detail"));
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The request field at fault, or {@code request}. */
    public String field() {
        return field;
    }
}
