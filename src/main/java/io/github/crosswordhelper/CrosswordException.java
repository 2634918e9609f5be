package io.github.crosswordhelper;

/**
 * Root of every exception the library throws on purpose. Unchecked, and split by what the caller can do
 * about it: fix the request ({@link InvalidRequestException}), retry later ({@link
 * BackendUnavailableException}), or report a failure ({@link BackendException}, {@link
 * BackendTimeoutException}, {@link ComponentException}).
 */
public abstract class CrosswordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected CrosswordException(String message) {
        super(message);
    }

    protected CrosswordException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same request may succeed if sent again later, unchanged. */
    public boolean isRetriable() {
        return false;
    }
}
