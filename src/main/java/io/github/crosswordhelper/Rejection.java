package io.github.crosswordhelper;

import java.util.Objects;

/**
 * A candidate a backend offered that the answer filter refused.
 *
 * @param answer the candidate as offered (display form)
 * @param reason why it does not fit, e.g. {@code length 7, need 6}
 */
public record Rejection(String answer, String reason) {
    public Rejection {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(reason, "reason");
    }
}
