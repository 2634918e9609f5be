package io.github.crosswordhelper;

import java.time.Duration;

/**
 * The backend cannot take the request now: it is still loading, its queue is full, or it is down.
 * Retriable; the HTTP layer answers 503 with {@code Retry-After}.
 */
public class BackendUnavailableException extends ServiceUnavailableException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String detail, Duration retryAfter) {
        super(detail, retryAfter);
    }

    public BackendUnavailableException(String detail, Duration retryAfter, Throwable cause) {
        super(detail, retryAfter, cause);
    }
}
