package io.github.crosswordhelper;

import java.time.Duration;
import java.util.Objects;

/**
 * The service cannot take the request now but may later: a full queue, a pool with no free instance, a
 * backend still loading. Retriable; the HTTP layer answers 503 with {@code Retry-After}.
 */
public class ServiceUnavailableException extends CrosswordException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public ServiceUnavailableException(String detail, Duration retryAfter) {
        this(detail, retryAfter, null);
    }

    public ServiceUnavailableException(String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A hint for when to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
